"""Round 2 of the hand-judged labels (see ../SAMPLING.md): appends them to groups.json.

Run once, with a pickle of the extracted seed items; kept as the record of the judgements."""
import hashlib
import json
import pickle
import sys
from pathlib import Path

from lvzhi.text import strip_spaces

# {(source, list, serial): Item} of the seeds
its = pickle.loads(Path(sys.argv[1]).read_bytes())
SRC = {s[:3]: s for s, _, _ in its}
KIND = {'b': 'basic', 'c': 'cooperative', 'r': 'reclaimed'}
TAG = "issue 16 round 2"
def ent(code):
    src, k, serial = code.split(":")
    key = (SRC[src], KIND[k], int(serial))
    item = its[key]
    return {"source": key[0], "list": key[1], "serial": key[2],
            "name_starts": strip_spaces(item.name)[:12]}
def split(text): return ("tune", "test")[hashlib.sha1(text.encode()).digest()[0] % 2]

# (label, kind, members); the first member is the item drawn at random.
GROUPS = [
 ("对侵占、破坏水源和抗旱设施的处罚", "easy", "002:c:66 000:c:83 001:c:83 004:c:64"),
 ("耕地和永久基本农田保护", "reworded", "002:b:67 000:b:51 001:b:53 003:b:61 004:b:76"),
 ("水利水电工程（水库）移民安置和后期扶持", "reworded", "001:c:23 002:c:20"),
 ("财政预决算和财务管理", "reworded", "002:b:103 004:b:121"),
 ("规范性文件、综合性文稿、公文处理", "easy", "001:b:85 000:b:80"),
 ("特殊困难老年人家庭适老化改造", "easy", "002:c:16 000:c:18 001:c:18"),
 ("机构编制日常管理", "easy", "004:c:4 000:c:11 001:c:11"),
 ("农药使用指导服务和农药包装废弃物回收清理", "easy", "004:c:34 000:c:32 001:c:33 002:c:28"),
 ("餐厨垃圾（厨余垃圾）监管", "easy", "004:c:67 000:c:86 001:c:86 002:c:72"),
 ("草原征占用手续办理", "easy", "001:c:65 000:c:65"),
 ("办理干部退休手续，服务管理退休老干部", "easy", "004:b:9 002:b:7"),
 ("职工医疗互助保障", "easy", "004:c:45 000:c:53 001:c:52 002:c:43"),
 ("简易喷淋装置、独立式感烟火灾探测报警器推广安装", "easy",
  "002:c:94 000:c:110 001:c:114 004:c:91"),
 ("临时用地审批与监管", "reworded", "003:c:39 000:c:59 001:c:59 002:c:52 004:c:52"),
 ("实施文化和旅游发展规划或编制旅游专项规划", "easy", "004:b:103 002:b:91"),
 ("募捐和接受社会捐赠", "easy", "001:c:20 000:c:20"),
 ("救灾捐赠款物的组织代收", "easy", "002:c:22 004:c:25"),
 ("自然灾害的防范处置", "easy", "001:c:107 000:c:103"),
 ("党史、地方志、年鉴编纂", "reworded", "000:c:120 001:c:126 002:c:106 004:c:107"),
 ("应急和消防救援队伍、应急预案和演练", "easy", "002:b:95 004:b:113"),
 ("水污染防治和监督管理", "easy", "001:c:71 000:c:71"),
 ("安全生产监督检查", "easy", "004:c:86 000:c:102 001:c:106 002:c:88"),
 ("动物疫病预防与控制（动物防疫）", "moved", "002:b:48 004:b:55 003:c:35"),
 ("农村住房安全日常管理", "reworded", "001:b:63 000:b:61"),
 ("人民建议征集", "easy", "002:b:12 004:b:68"),
 ("公共文化体育阵地建设与管理", "reworded", "002:b:88 000:b:67 001:b:70 003:b:81 004:b:102"),
 ("落实“一网统管”数字化治理体系", "easy", "004:c:108 000:c:121 001:c:127 002:c:107"),
 ("加强党委自身建设", "reworded", "003:b:4 002:b:3 004:b:4"),
 ("农村危房改造", "easy", "000:c:85 001:c:85"),
 ("组织人大代表参加会议、视察调研、执法检查", "easy", "000:c:7 001:c:7 002:c:4 004:c:5"),
 ("将没有防水要求的房间或者阳台改为卫生间、厨房间的处罚", "easy",
  "001:r:40 000:r:40 002:r:37 004:r:38"),
 ("创业担保贷款办理", "easy", "000:c:14 001:c:14"),
 ("通信设施建设和保护", "easy", "004:c:71 000:c:89 001:c:90 002:c:71"),
 ("打造星级农家乐、民宿", "reworded", "002:c:85 000:c:97 001:c:101 004:c:75"),
 ("集贸市场、农贸市场使用计量器具监管整治", "easy", "004:c:105 001:c:123 002:c:103"),
 ("乡村振兴项目库建设", "easy", "000:b:36 001:b:37"),
 ("消费者权益保护", "easy", "004:c:100 000:c:118 001:c:124 002:c:100"),
 ("公路建筑控制区管控", "easy", "000:c:90 001:c:93"),
 ("土壤和肥料管理（测土配方，耕地质量监测）", "easy", "001:c:36 000:c:35 002:c:36 004:c:42"),
 ("城市照明设施的处罚", "easy", "004:r:31 000:r:33 001:r:33 002:r:31"),
 ("自然灾害救助", "easy", "001:c:108 000:c:104 002:c:92 004:c:88"),
 ("干部选拔、培养、教育、考核、管理和监督", "reworded", "003:b:8 002:b:6 004:b:8"),
]
# Items drawn whose counterparts are already one labeled group: they join it.
JOIN = [
 ("依法履行乡/镇人大主席团职责，负责人大换届选举", "003:b:12"),
 ("公益性墓地管理", "003:b:37"),
 ("水土保持工作", "004:c:60"),
 ("村庄、集镇规划区内修建临时建筑物的审批、管理", "003:b:64"),
 ("草原承包调整", "003:r:28"),
]
SINGLES = [
 ("002:b:54", "公民道德建设工程"),
 ("003:c:77", "有限空间安全检查和作业安全监督"),
 ("003:b:62", "土地（不含农田建设）整理"),
 ("002:c:59", "农业生产取用水水资源税的缴纳及管理"),
 ("003:b:74", "供热、供排水、供电气等公共市政配套设施"),
 ("003:c:63", "历史建筑管理保护"),
 ("003:r:41", "建筑施工夜间作业许可证核发"),
 ("004:c:29", "行政执法协调监督"),
 ("001:c:117", "人工影响天气作业"),
 ("003:c:16", "劳动能力鉴定"),
 ("003:c:42", "建设项目涉及国有土地使用权收回与补偿"),
 ("003:b:91", "党史宣传征集"),
 ("003:r:68", "地名信息数据核查"),
 ("003:c:40", "耕地占补平衡"),
]
NEAR = [
 ("002:c:66", "000:r:20", "侵占、破坏水源和抗旱设施的处罚 vs 侵占、毁坏水工程设施的处罚"),
 ("003:c:77", "004:c:86", "有限空间安全检查 vs 安全生产监督检查"),
 ("002:b:67", "003:c:40", "耕地和永久基本农田保护 vs 耕地占补平衡"),
 ("002:c:16", "004:c:16", "老年人家庭适老化改造 vs 困难重度残疾人家庭无障碍改造"),
 ("002:c:59", "000:b:42", "取用水水资源税 vs 农业节水宣传及取用水服务管理"),
 ("004:c:45", "003:c:21", "职工医疗互助保障 vs 医疗救助"),
 ("001:c:20", "002:c:22", "募捐和接受社会捐赠 vs 救灾捐赠款物的组织代收"),
 ("000:c:120", "003:b:91", "党史、地方志、年鉴编纂 vs 党史宣传征集"),
 ("001:b:63", "003:r:49", "农村住房安全日常管理 vs 农村住房安全鉴定评定"),
 ("004:c:108", "002:c:30", "一网统管数字化治理 vs 数字乡村建设"),
 ("000:c:7", "002:c:13", "人大代表参加会议、视察调研 vs 县级人大代表的选举、补选、罢免"),
 ("001:r:40", "000:r:42", "阳台改卫生间的处罚 vs 将厨房、卫生间、阳台出租的处罚"),
 ("001:c:36", "003:c:31", "土壤和肥料管理 vs 土壤普查"),
]
path = Path(__file__).resolve().parent.parent / "groups.json"
L = json.loads(path.read_text(encoding="utf-8"))
for label, kind, members in GROUPS:
    L["groups"].append({"label": label, "kind": kind, "members": [ent(m) for m in members.split()],
                        "split": split(label), "added": TAG})
for label, code in JOIN:
    group = next(g for g in L["groups"] if g["label"] == label)
    group["members"].append({**ent(code), "added": TAG})
for code, what in SINGLES:
    L["singletons"].append({"item": ent(code), "what": what, "split": split(what), "added": TAG})
for a, b, why in NEAR:
    L["near_misses"].append({"a": ent(a), "b": ent(b), "why": why, "split": split(why),
                             "added": TAG})
path.write_text(json.dumps(L, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
new_items = sum(len(m.split()) for _, _, m in GROUPS) + len(JOIN) + len(SINGLES)
print("groups", len(GROUPS), "joined", len(JOIN), "singletons", len(SINGLES),
      "near", len(NEAR), "new labeled items", new_items)

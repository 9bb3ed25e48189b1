"""County-level places and their prefectures, for reading a list's title.

Titles run the names together (``伊犁州伊宁市托格拉克乡…``) and place names contain the very
characters that end others (伽**师**县, 阿拉尔**市**), so suffix rules alone misread them. Known
counties anchor the parse; the prefecture is then taken in its usual short form. The table
covers Xinjiang, where the bundled samples come from; elsewhere the title parser falls back to
suffix rules (see ``explorer.vocabulary.parse_place``). Add a region by extending the table.
"""

from __future__ import annotations

# prefecture (short form used in the lists) -> its county-level divisions
PREFECTURES: dict[str, tuple[str, ...]] = {
    "乌鲁木齐市": ("天山区", "沙依巴克区", "新市区", "水磨沟区", "头屯河区", "达坂城区",
                 "米东区", "乌鲁木齐县"),
    "克拉玛依市": ("独山子区", "克拉玛依区", "白碱滩区", "乌尔禾区"),
    "吐鲁番市": ("高昌区", "鄯善县", "托克逊县"),
    "哈密市": ("伊州区", "巴里坤哈萨克自治县", "巴里坤县", "伊吾县"),
    "昌吉州": ("昌吉市", "阜康市", "呼图壁县", "玛纳斯县", "奇台县", "吉木萨尔县",
             "木垒哈萨克自治县", "木垒县"),
    "博州": ("博乐市", "阿拉山口市", "精河县", "温泉县"),
    "巴州": ("库尔勒市", "轮台县", "尉犁县", "若羌县", "且末县", "焉耆回族自治县", "焉耆县",
           "和静县", "和硕县", "博湖县"),
    "阿克苏地区": ("阿克苏市", "库车市", "温宿县", "沙雅县", "新和县", "拜城县", "乌什县",
              "阿瓦提县", "柯坪县"),
    "克州": ("阿图什市", "阿克陶县", "阿合奇县", "乌恰县"),
    "喀什地区": ("喀什市", "疏附县", "疏勒县", "英吉沙县", "泽普县", "莎车县", "叶城县",
             "麦盖提县", "岳普湖县", "伽师县", "巴楚县", "塔什库尔干塔吉克自治县", "塔什库尔干县"),
    "和田地区": ("和田市", "和田县", "墨玉县", "皮山县", "洛浦县", "策勒县", "于田县", "民丰县"),
    "伊犁州": ("伊宁市", "奎屯市", "霍尔果斯市", "伊宁县", "察布查尔锡伯自治县", "察布查尔县",
             "霍城县", "巩留县", "新源县", "昭苏县", "特克斯县", "尼勒克县"),
    "塔城地区": ("塔城市", "乌苏市", "沙湾市", "额敏县", "托里县", "裕民县",
              "和布克赛尔蒙古自治县", "和布克赛尔县"),
    "阿勒泰地区": ("阿勒泰市", "布尔津县", "富蕴县", "福海县", "哈巴河县", "青河县", "吉木乃县"),
    # 新疆生产建设兵团: a division (师) governs its city.
    "第一师": ("阿拉尔市",),
    "第二师": ("铁门关市",),
    "第三师": ("图木舒克市",),
    "第四师": ("可克达拉市",),
    "第五师": ("双河市",),
    "第六师": ("五家渠市",),
    "第七师": ("胡杨河市",),
    "第八师": ("石河子市",),
    "第九师": ("白杨市",),
    "第十师": ("北屯市",),
    "第十三师": ("新星市",),
    "第十四师": ("昆玉市",),
}

# Long official forms that titles use, mapped to the short form above.
PREFECTURE_ALIASES: dict[str, str] = {
    "伊犁哈萨克自治州": "伊犁州",
    "昌吉回族自治州": "昌吉州",
    "博尔塔拉蒙古自治州": "博州",
    "巴音郭楞蒙古自治州": "巴州",
    "克孜勒苏柯尔克孜自治州": "克州",
    "伊犁": "伊犁州",
}

COUNTY_TO_PREFECTURE: dict[str, str] = {
    county: prefecture for prefecture, counties in PREFECTURES.items() for county in counties
}

# Longest first, so 乌鲁木齐县 wins over a shorter name it contains.
COUNTIES_BY_LENGTH: tuple[str, ...] = tuple(sorted(COUNTY_TO_PREFECTURE, key=len, reverse=True))
PREFECTURES_BY_LENGTH: tuple[str, ...] = tuple(
    sorted([*PREFECTURES, *PREFECTURE_ALIASES], key=len, reverse=True)
)

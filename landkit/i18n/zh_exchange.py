"""Chinese words of the survey-exchange text (报部格式): reading, checking and writing it."""

MESSAGES: dict[str, str] = {
    # the file as a whole
    "exchange.encoding": (
        "{path}：不能按 {encoding} 编码读取（{reason}）；去掉 --encoding 由 landkit 自动识别，或给出正确的编码"
    ),
    "exchange.not_exchange": "{path}：不是报部格式坐标文件（没有 [属性描述] 或 [地块坐标] 段）",
    "exchange.no_plots": (
        "{path}：[地块坐标] 段中没有地块（每个地块以“界址点数,面积,编号,名称,面,图幅号,用途,地类编码,@”一行开头）"
    ),
    "exchange.datum": (
        "{path}：坐标系“{value}”无法识别；在 [属性描述] 中写明 坐标系=2000国家大地坐标系"
        "（或 1980西安坐标系、1954北京坐标系）"
    ),
    "exchange.no_zone": "{path}：无法确定投影带：带号为空，Y 坐标也不带带号；在 [属性描述] 中写明 带号=（如 38）",
    "exchange.band_zone": "{path}：分带“{band}”与带号 {zone} 不符（3 度带为 25–45 带，6 度带为 13–23 带）",
    "exchange.refused": "{path}：有 {count} 处接收系统会退回的问题，未导入：",
    "exchange.more": "……另有 {count} 处",
    # one plot, one line
    "exchange.bad_header": "第 {line} 行（地块 {plot}）：地块行无法读取（首项应为界址点数）：{text}",
    "exchange.not_area": "第 {line} 行（地块 {plot}）：图形属性为“{kind}”，landkit 只读取“面”地块",
    "exchange.point_before_plot": "第 {line} 行：界址点出现在第一个地块行之前：{text}",
    "exchange.bad_point": "第 {line} 行（地块 {plot}）：界址点行无法读取（应为 点号,圈号,X,Y）：{text}",
    "exchange.swapped": (
        "第 {line} 行（地块 {plot}）：X、Y 坐标疑似写反（X={x} 像横坐标，Y={y} 像纵坐标）；"
        "报部格式中 X 为纵坐标（北），Y 为横坐标（东）"
    ),
    "exchange.out_of_range": "第 {line} 行（地块 {plot}）：X={x}、Y={y} 不是国内以米为单位的高斯投影坐标",
    "exchange.prefix": "第 {line} 行（地块 {plot}）：Y 坐标前的带号 {prefix} 与文件的带号 {zone} 不符",
    "exchange.unclosed": "第 {line} 行（地块 {plot}）：第 {ring} 圈没有闭合，末点应重复首点 {first}",
    "exchange.short_ring": "第 {line} 行（地块 {plot}）：第 {ring} 圈只有 {points} 个界址点，至少需要 3 个",
    "exchange.zero_length": "第 {line} 行（地块 {plot}）：界址点 {name} 与上一点重合（零长度边）",
    "exchange.count": "第 {line} 行（地块 {plot}）：地块行写明 {stated} 个界址点，其后实有 {found} 行",
    "exchange.count_open": (
        "第 {line} 行（地块 {plot}）：地块行写明 {stated} 个界址点，其后有 {found} 行；"
        "界址点数未计各圈的闭合点，报部时应计入"
    ),
    "exchange.no_points": "第 {line} 行（地块 {plot}）：地块没有界址点",
    "exchange.self_intersection": "第 {line} 行（地块 {plot}）：第 {ring} 圈自相交，位置约 X={x}、Y={y}",
    "exchange.rings_cross": "第 {line} 行（地块 {plot}）：各圈相互交叉或重叠，位置约 X={x}、Y={y}",
    "exchange.area": "第 {line} 行（地块 {plot}）：写明面积 {stated} 公顷，按 2008 椭球面积法计算为 {computed} 公顷",
    "exchange.duplicate_id": "第 {line} 行（地块 {plot}）：地块编号与前面的地块重复",
    # writing
    "exchange.export_refused": "有 {count} 个地块写不成接收系统会接受的报部格式，未写出文件：",
    "exchange.no_geometry": "地块 {plot}：没有面状图形",
    "exchange.separator": "地块 {plot}：“{field}”含有逗号、@ 或换行，会打乱报部格式；请先在工程中修改",
    "exchange.unencodable": "地块 {plot}：字符“{char}”无法用 {encoding} 编码写出；改用 --encoding utf-8 或修改该文字",
    "exchange.write_crs": (
        "工程的坐标系 {crs} 不是可写入报部格式的高斯-克吕格投影（2000、西安80 或北京54 的 3 度或 6 度带）"
    ),
    "exchange.unknown_target": "没有名为“{target}”的储备目标；现有：{known}",
    "exchange.unknown_status": "“{status}”不是地块状态；可用：{known}（或其中文名称）",
    "exchange.unknown_parcels": "工程中没有这 {count} 个地块编号：{ids}",
    "exchange.nothing_selected": "所选条件下没有地块，未写出文件",
    "exchange.wrote": "已写入 {path}：{count} 个地块，面积按 2008 椭球面积法（公顷，4 位小数）",
    # the command line
    "opt.export.target": "只导出该储备目标（编号或名称）的地块。",
    "opt.export.status": "只导出该状态的地块（如 approved 或 已批复）。",
    "opt.export.village": "只导出该村（代码或名称）的地块。",
    "opt.export.parcels": "只导出这些地块编号（以逗号分隔）。",
    "opt.export.encoding": ".txt 报部格式的编码（默认 gbk，CRLF 换行）。",
    "exchange.no_point_lines": "{path}：没有一行能读的界址点（应为 点号,圈号,X,Y），未导入任何地块",
}

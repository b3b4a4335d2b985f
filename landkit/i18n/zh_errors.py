"""Chinese words of landkit's library (errors): see zh.py for the terms and en_errors.py for the English.

Values (paths, layer names, ids, what another library said) are fields, never translated.
"""

MESSAGES: dict[str, str] = {
    # io.py: sources, tables, outputs
    "io.cpg_wrong": (
        "{path}：其 .cpg 声明文字编码为 {named}，但只有按 GB18030（GBK）读才是中文；请用 --encoding "
        "GB18030 导入，或更正 .cpg 文件"
    ),
    "io.shapefile_empty": "{path}：文件为空（0 字节）；请从原始来源重新复制该 Shapefile",
    "io.shapefile_no_shx": (
        "{path}：旁边缺少 .shx 文件（空间索引）；请把 Shapefile 的各个文件（.shp、.shx、.dbf、.prj、.cpg）一起复制"
    ),
    "io.shapefile_no_dbf": (
        "{path}：旁边缺少 .dbf 文件（属性表）；请把 Shapefile 的各个文件（.shp、.shx、.dbf、.prj、.cpg）一起复制"
    ),
    "io.url_not_a_source": (
        "{url}：这是数据库中的工程，不是可导入的文件；请用 read_layer 读取，或用 `landkit push URL URL` 复制整个工程"
    ),
    "io.url_not_an_output": "{url}：这是数据库地址；本命令只写文件，请给出文件或文件夹名",
    "io.no_such_source": "{path}：文件不存在。请检查路径。",
    "io.source_is_folder": "{path}：这是文件夹；请给出其中的 .shp、.geojson 或 .gpkg 文件。",
    "io.not_geoparquet": "{path}：不是 GeoParquet 文件（{detail}）。请用 GeoDataFrame.to_parquet 保存",
    "io.not_a_layer": "{path}：GDAL 无法把它读成图层（{detail}）。请另存为 GeoPackage 或 Shapefile。",
    "io.no_features": "{path}：没有任何要素，没有可导入的内容",
    "io.no_geometry": "{path}：图层 '{layer}' 没有图形；请导入带图形的空间图层。",
    "io.not_finite_in_project": (
        "{path}：转换到工程坐标系后坐标变为无穷大或 NaN：源数据声明的坐标系不是其数值实际所在的坐标系。"
        "请声明正确的坐标系（.prj 文件或 GeoJSON 的 crs）后重新导入"
    ),
    "io.crs_cannot_hold": "{path}：{reason}",
    "io.many_sheets": (
        "{path}：有 {count} 个工作表有数据（{sheets}）；请把表格放在一个工作表中，或把该工作表另存为单独的文件"
    ),
    "io.not_a_table": "{path}：无法读成表格（{detail}）；请另存为 CSV（UTF-8）或 XLSX",
    "io.table_suffix": "{path}：请给出 .csv 或 .xlsx 文件",
    "io.output_is_input": "{path}：这是本命令的输入文件；输出从不覆盖输入。请换一个名称。",
    "io.output_is_folder": "{path}：这是文件夹；请给出要写入的文件名。",
    "io.output_exists_source": "{path}：已存在，且是工程文件或源数据文件；请换一个名称，或加 --overwrite 替换它。",
    "io.output_exists_foreign": "{path}：已存在，且不是 landkit 写出的文件；请换一个名称，或加 --overwrite 替换它。",
    "io.folder_is_file": "{path}：这是文件；请给出存放输出的文件夹。",
    "io.cannot_replace": (
        "{path}：无法替换（{detail}）；它可能正在别的程序（QGIS、Excel、浏览器）中打开：请关闭后重新运行。"
        "文件夹保持原样"
    ),
    # store/gpkg.py: the GeoPackage file
    "io.no_such_file": "{path}：文件不存在。请检查路径（可用 `landkit sample` 生成示例工程）。",
    "gpkg.is_folder": "{path}：这是文件夹，不是 GeoPackage 文件。请给出 .gpkg 文件的路径。",
    "gpkg.empty_file": "{path}：文件为空（0 字节），不是 GeoPackage。请从备份恢复，或从源系统重新导出。",
    "gpkg.not_sqlite": (
        "{path}：不是 GeoPackage（不是 SQLite 数据库）。请把数据另存为 GeoPackage，或用 `landkit "
        "import` 导入 Shapefile 或 GeoJSON。"
    ),
    "gpkg.truncated": (
        "{path}：文件不完整（{size} 字节，应为 {expected} 字节），复制或写入时被截断了。请从备份恢复，"
        "或从源系统重新导出。"
    ),
    "gpkg.not_geopackage": "{path}：是 SQLite 数据库，但不是 GeoPackage。请把数据另存为 GeoPackage。",
    "gpkg.no_contents": (
        "{path}：GeoPackage 缺少 gpkg_contents 表；请从备份恢复、从源系统重新导出，或把各图层重新存为 GeoPackage"
    ),
    "gpkg.damaged": "{path}：GeoPackage 已损坏（{detail}）。请从备份恢复，或从源系统重新导出。",
    "gpkg.no_layers": "{path}：GeoPackage 中没有图层。请把工程的图层写入其中（landkit import）。",
    "gpkg.cannot_open": "{path}：无法以写入方式打开（{detail}）；请检查文件是否只读。",
    "gpkg.busy": "{path}：另一个程序正在写入该工程；请等它完成后再试（未写入任何内容）。",
    "gpkg.read_only": "{path}：文件或其所在文件夹是只读的；未写入任何内容。",
    "gpkg.disk": "{path}：磁盘已满或出现故障（{detail}）；未写入任何内容。请腾出空间后重试。",
    "gpkg.damaged_unwritten": (
        "{path}：GeoPackage 已损坏（{detail}）；未写入任何内容。请从备份恢复，或从源系统重新导出。"
    ),
    "gpkg.refused": "{path}：SQLite 拒绝了写入（{detail}）；未写入任何内容。",
    "gpkg.unreadable_layer": "{path}：图层 '{layer}' 无法读取（{detail}）。请从备份恢复，或从源系统重新导出。",
    "gpkg.unwritable": "图层 '{layer}' 无法写成 GeoPackage（GDAL：{detail}）。",
    "gpkg.unwritable_fid": (
        "图层 '{layer}' 无法写成 GeoPackage（GDAL：{detail}）。请给字段 'fid' 改名：GeoPackage 把它留作要素编号。"
    ),
    "gpkg.appeared": "{path}：文件已经存在；未写入任何内容。",
    "gpkg.undefined_srs": "{path}：{layer} 的坐标系（srs_id {srs_id}）在文件中没有定义；请指定一个",
    # store/: projects in either backend
    "store.url_as_path": (
        "{url}：把数据库地址当作文件路径传入了；请把地址作为文本（str）而不是 pathlib.Path 传入，这样才能连到数据库"
    ),
    "store.styles_in_files": (
        "{where}：QGIS 样式写在 GeoPackage 文件中；数据库的样式随 QGIS 工程（landkit qgis）一起提供，"
        "或先把它拉取为 GeoPackage（landkit pull）"
    ),
    "store.file_exists": "{path}：文件已经存在；如要替换其图层，请加 --overwrite（overwrite=True）。",
    "store.engine": "读取引擎应为 'pyogrio' 或 'fiona'，而不是 '{engine}'",
    "store.no_layer": (
        "{where}：没有图层 '{layer}'；现有图层：{names}。请检查图层名（工程文件包含 README 中列出的图层）。"
    ),
    "store.append_only": (
        "{where}：{layer} 表是只增不改的历史记录；这次写入会修改或删除已记录的事件。请改为记录一条撤销或更正事件"
    ),
    "store.followed_ledger.parcel": (
        "{where}：写入的 {layer} 中有 {count} 个地块的 {column} 与台账不同；已改为台账中的状态（要改变状态，"
        "请记录一条事件）"
    ),
    "store.followed_ledger.village": (
        "{where}：写入的 {layer} 中有 {count} 个村庄的 {column} 与台账不同；已改为台账中的状态（要改变状态，"
        "请记录一条事件）"
    ),
    "store.lost_indexes": (
        "{where}：替换后的图层丢失了您的索引或触发器 {names}：它们引用的字段已不存在；如有需要请重新创建"
    ),
    "store.target_is_folder": "{path}：这是文件夹；请给出要写入的 GeoPackage 文件名，例如 {example}",
    "store.copy_onto_itself_schema": "{where}：这就是要复制的工程；请指定另一个模式（?schema=NAME）",
    "store.copy_onto_itself_file": "{where}：这就是要复制的工程；请指定另一个文件",
    "store.copy_target_exists": (
        "{where}：已存在；复制工程会替换其中的图层。请换一个名称，或确需替换时加 --overwrite（overwrite=True）"
    ),
    "store.push_needs_url": (
        "{where}：push 把工程复制到数据库中；目标请给出 postgresql:// 地址（要从数据库写出 GeoPackage，请用 pull）"
    ),
    "store.pull_needs_url": (
        "{where}：pull 读取数据库中的工程；请先给出它的 postgresql:// 地址（要把 GeoPackage 复制到数据库，请用 push）"
    ),
    "store.grant_needs_url": "{where}：角色只存在于数据库中；请给出 postgresql:// 地址",
    "store.no_column": (
        "{layer}：没有字段 {missing}；该图层的字段为 {have}。请把字段改名为工程文件约定中的名称（见 "
        "README），或添加该字段"
    ),
    "store.layer_exists": (
        "{where}：图层 '{layer}' 已经存在；如要替换，请加 --overwrite（overwrite=True）（或写入新的图层名）。"
    ),
    # store/postgis.py: projects in PostgreSQL/PostGIS
    "pg.raw_at": (
        "{where}：地址中的用户名或密码含有未转义的 '@'，PostgreSQL 会把它当作密码的结尾；请写成 "
        "%40，或不在地址中写密码而设置 PGPASSWORD"
    ),
    "pg.empty_schema": "{where}：地址中的模式（schema）为空；请写 ?schema=NAME",
    "pg.cannot_connect": (
        "{where}：无法连接数据库（{detail}）。请检查地址中的主机、端口、数据库和用户（或其 service=）"
        "；密码从 PGPASSWORD 或 ~/.pgpass（PGPASSFILE）读取"
    ),
    "pg.busy": "{where}：另一位规划人员正在写入该工程；请等他们完成后再试（未写入任何内容）。",
    "pg.append_only": "{where}：{detail}；未写入任何内容",
    "pg.privilege": (
        "{where}：数据库拒绝了操作（{detail}）；未写入任何内容。请向工程负责人申请所需的角色（landkit "
        "的 grant()：只读角色或录入角色）"
    ),
    "pg.check": (
        "{where}：{detail}：有值不在允许的列表中（{more}）；未写入任何内容。请使用工程文件约定允许的值（见 README）"
    ),
    "pg.foreign_key": "{where}：{detail}（{more}）；未写入任何内容。台账的每一行都必须指向其图层中的要素",
    "pg.unique": "{where}：{detail}（{more}）；未写入任何内容。编号必须唯一（landkit audit 会列出重复的编号）",
    "pg.push_running": (
        "{where}：另一个 push 正在写入这个新工程（模式 '{schema}'）；请等它完成后再试（未写入任何内容）。"
    ),
    "pg.no_schema": "{where}：数据库中没有工程模式 '{schema}'",
    "pg.connection_failed": "{where}：与数据库的连接中断（{detail}）；未写入任何内容。请重试",
    "pg.refused": "{where}：PostgreSQL 拒绝了操作（{detail}）；未写入任何内容。",
    "pg.no_project": (
        "{where}：数据库中没有这个工程（模式 '{schema}'）；请用 `landkit push FILE URL` 把 GeoPackage "
        "复制过去，或检查地址中的模式"
    ),
    "pg.no_layers": "{where}：工程模式中没有图层；请先把工程推送（push）过去",
    "pg.no_table": "{where}：工程中没有表 '{table}'",
    "pg.rows_busy": (
        "{where}：{ids} 正由另一位规划人员录入（已等待 {seconds} 秒）；请等他们完成后再试（未写入任何内容）。"
    ),
    "pg.conflict": "{reason}（冲突：另一位规划人员同时录入了 {ids} 并先完成；请重新读取工程并核对其状态）",
    "pg.long_layer_name": (
        "{where}：图层名 '{name}' 的 UTF-8 编码有 {size} 字节；PostgreSQL 的名称最多保留 {limit} "
        "字节（21 个汉字），会把它截断；请给图层改名，例如 '{shorter}'；未写入任何内容"
    ),
    "pg.long_column_name": (
        "{where}：图层 '{layer}' 的字段名 '{name}' 的 UTF-8 编码有 {size} 字节；PostgreSQL 的名称最多保留 "
        "{limit} 字节（21 个汉字），会把它截断；请给字段改名，例如 '{shorter}'；未写入任何内容"
    ),
    "pg.stamp_clash": (
        "{where}：图层 '{layer}' 的字段 '{column}' 与数据库自己的记录字段（{stamps}：谁在何时记录了每个事件）"
        "同名；请给该字段改名；未写入任何内容"
    ),
    "pg.not_dates": (
        "{where}：图层 '{layer}' 的字段 '{column}' 是日期字段，但有 {count} 个值不是日期（{values}）"
        "；请写成 YYYY-MM-DD 或留空；未写入任何内容"
    ),
    "pg.fid_column": "图层 '{layer}'：名为 'fid' 的字段留作要素编号；请给它改名",
    "pg.project_exists": (
        "{where}：工程（模式 '{schema}'）已经存在；如要替换其图层，请加 --overwrite（overwrite=True）。"
    ),
    # crs.py: coordinate reference systems
    "crs.no_gk_zone": "经度 {lon} 不在中国 3 度带高斯-克吕格投影的第 25–45 带之内",
    "crs.none": (
        "该图层没有坐标参考系。请声明坐标所在的坐标系，例如 gdf.set_crs('EPSG:4547')（CGCS2000 "
        "高斯-克吕格，中央经线 114°E）或 'EPSG:4490'（CGCS2000 经纬度），然后重新写入。"
    ),
    "crs.none_at": (
        "{where}：该图层没有坐标参考系。请声明坐标所在的坐标系，例如 gdf.set_crs('EPSG:4547')（CGCS2000 "
        "高斯-克吕格，中央经线 114°E）或 'EPSG:4490'（CGCS2000 经纬度），然后重新写入。"
    ),
    "crs.none_layer": (
        "图层 '{layer}' 没有坐标参考系。请声明坐标所在的坐标系，例如 gdf.set_crs('EPSG:4547')（CGCS2000 "
        "高斯-克吕格，中央经线 114°E）或 'EPSG:4490'（CGCS2000 经纬度），然后重新写入。"
    ),
    "crs.none_at_layer": (
        "{where}：图层 '{layer}' 没有坐标参考系。请声明坐标所在的坐标系，例如 gdf.set_crs('EPSG:4547')（CGCS2000 "
        "高斯-克吕格，中央经线 114°E）或 'EPSG:4490'（CGCS2000 经纬度），然后重新写入。"
    ),
    "crs.outside_county": "县域之外",
    "crs.outside_china": "中国境外",
    "crs.outside_use": "{name} 的使用范围（{area}）之外",
    "crs.not_finite": "坐标不是有限的数值（NaN 或无穷大）；请重新绘制或重新导出这些要素",
    "crs.nowhere": "无处（无法转换）",
    "crs.at": "东经 {lon:.2f}°、北纬 {lat:.2f}°",
    "crs.cannot_be_in": "坐标 {box} 不可能在 {crs}（{name}）中：那样它们将位于{seen}，{where}",
    "crs.swapped": "{head}。经度和纬度颠倒了：交换 x 和 y（例如 {swap}）",
    "crs.fits_one": "{head}。它们符合 EPSG:{epsg}（{name}）：声明为该坐标系，例如 {call}",
    "crs.fits_several": "{head}。它们符合多个坐标系（{listed}）；县域范围图层可以判断是哪一个",
    "crs.fits_none": "{head}。没有常用坐标系符合；请核查数据来源",
    "crs.outside_zone": (
        "该图层存储在 EPSG:{epsg}（中央经线 {cm}°E），但离中央经线最远 {far} 度；那里的平面量算有变形。"
        "它所在的投影带是 EPSG:{right}"
    ),
    "crs.datum": "{datum} 坐标系",
    "crs.ballpark": (
        "{where}该图层在{source}上，工程在{target}上：PROJ 没有两者之间测绘精度的转换（其粗略转换误差数十米至 "
        "100 米）。请用 --datum-transform '+towgs84=dx,dy,dz,rx,ry,rz,ds' 给出测绘部门提供的 "
        "7 参数，或用 --accept-ballpark 接受粗略转换"
    ),
    "crs.bad_transform": "{where}--datum-transform '{text}' 不是 PROJ 能执行的转换（{detail}）",
    # measure.py, units.py, topology.py, planning.py, parallel.py
    "measure.latitude": "坐标达到纬度 {lat}：它们不可能在 {crs} 中；请检查声明的坐标系（经度和纬度是否颠倒了？）",
    "planning.invalid_parcels": (
        "{n} 块地块几何无效（{ids}）：储备面积按 GEOS 修复后的形状计算；请运行 landkit audit 查看并修正"
    ),
    "measure.old_datum": (
        "该图层在 {datum} 坐标系上：其面积是在 PROJ 的粗略转换后在 CGCS2000 椭球上量算的（位置误差数十米，"
        "面积误差约 1e-5）。如需测绘精度的数值，请用测绘部门的参数重新投影（landkit import --datum-transform）"
    ),
    "measure.method": "未知的面积算法 '{method}'；请用 ellipsoidal、cn2008 或 planar",
    "measure.no_zone": "平面面积需要指定量算所用的投影：--zone / zone=，例如 EPSG:4547",
    "measure.unknown_zone": "'{zone}' 不是 PROJ 认识的坐标系；请给出 EPSG 代码，例如 EPSG:4547",
    "measure.zone_not_projected": (
        "{zone}（{name}）不是投影坐标系：其单位是度，平面面积将以平方度计。请给出投影坐标系，"
        "例如 EPSG:4547，或使用默认的椭球面算法"
    ),
    "measure.not_polygons": "该图层存的是 {kinds}：面积只在面图层上量算；请选择一个面图层（例如 parcels）",
    "measure.mercator": (
        "在 {name} 中，北纬 {lat}° 处的平面面积约偏大 {factor}；请使用默认的椭球面算法或高斯-克吕格投影带"
    ),
    "measure.far_from_meridian": (
        "地块离 EPSG:{epsg} 的中央经线 {cm}°E 最远 {far} 度：那里的平面面积最多偏大 {distortion}（每公顷 "
        "{per_ha} 平方米）。请使用默认的椭球面算法，或投影带 EPSG:{zone}"
    ),
    "units.unknown": "未知的面积单位 '{unit}'；请用其中之一：{units}",
    "units.not_finite": "无法平差含有 NaN 或无穷大的各部分；请先报告这些值",
    "topology.repair_refused": (
        "拒绝修复 {count} 个要素（{ids}）：使其有效会使面积变化超过 {tolerance}。"
        "请重新绘制（领结形图形有两种可能的形状）"
    ),
    "topology.no_stated": "没有可比较的字段 '{column}'；请用 stated= 指定申报面积字段",
    "planning.no_version": "planning_zones 需要 'version' 字段（1、2、3 …）来排列各版本",
    "parallel.no_dask": '分区检查需要 dask：pip install "landkit[dask]"（dask-geopandas 和 distributed）',
    # audit.py: the rules file
    "audit.rules_not_toml": "{path}：不是有效的 TOML（{detail}）；请参照 README 中的示例",
    "audit.rules_wrong": "{path}：规则文件有误：{problems}",
    # checks.py: a project against its contract
    "checks.no_layer": (
        "{where}：没有 {layer} 图层（{label}），而 {needed_by} 需要它；请用 `landkit import SOURCE "
        "{where} --layer {layer}` 添加"
    ),
    "checks.empty_layer": (
        "{where}：{layer} 图层（{label}）为空，而 {needed_by} 需要它；请用 `landkit import SOURCE "
        "{where} --layer {layer}` 添加"
    ),
    "checks.invalid": "{source}：有 {count} 个问题\n{lines}",
    # measure.py: a layer without polygons
    "measure.no_geometry": "该图层没有图形：面积只在面图层上量算；请选择一个面图层（例如 parcels）",
    # fonts.py: a character no Chinese font found has (never drawn as a box)
    "fonts.missing_glyph": (
        "无法绘制“{text}”：字符“{char}”（{codepoint}）在已找到的字体（{fonts}）中都没有字形，图面会显示为方框，"
        "因此未写出文件；请安装含此字的中文字体（如 Noto Sans CJK SC：pip install mplfonts），或修改该名称"
    ),
}

# A Shapefile's .cpg that names a code page its text is not in (issue 27)
MESSAGES |= {
    "io.cpg_undecodable": (
        "{path}：其 .cpg 声明文字编码为 {named}，但文字不是这种编码；请用 --encoding 指定实际编码"
        "（例如 --encoding ISO-8859-1 或 GB18030）导入，或更正 .cpg 文件"
    ),
}

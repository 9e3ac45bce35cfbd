package roster

// PersonFields are the columns of a person roster (migrant workers,
// mobile Party members) with the labels county and township forms use for
// them, for FindHeader. The import service passes it as is or a copy with
// more labels; it is data, never changed at run time.
//
// Labels are compared after NormLabel, so 「身份证号码（必填）」 and
// 「身 份 证 号」 need no entry of their own. A label belongs to one field:
// the first field listing it wins.
var PersonFields = []Field{
	{Key: "name", Required: true, Labels: []string{
		"姓名", "名字", "人员姓名", "党员姓名", "务工人员姓名", "职工姓名"}},
	{Key: "id_number", Required: true, Labels: []string{
		"身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "证件号", "身份证件号码",
		"居民身份证号码", "身份号码"}},
	{Key: "phone", Labels: []string{
		"联系电话", "手机", "手机号码", "联系方式", "手机号", "电话", "电话号码", "联系号码", "本人电话"}},
	{Key: "sex", Labels: []string{"性别"}},
	{Key: "ethnicity", Labels: []string{"民族"}},
	{Key: "birth_date", Labels: []string{"出生日期", "出生年月", "出生时间", "出生年月日"}},
	{Key: "hukou", Labels: []string{
		"户籍地", "家庭住址", "籍贯", "户籍所在地", "户口所在地", "户籍地址", "家庭地址", "住址", "户籍"}},
	{Key: "work_place", Labels: []string{
		"务工地", "就业地", "流入地", "现居住地", "务工地点", "务工地址", "外出务工地", "现居住地址",
		"流入地区", "现住址", "就业地点"}},
	{Key: "employer", Labels: []string{
		"工作单位", "用工单位", "单位名称", "现工作单位", "务工单位", "就业单位", "所在单位", "工作单位名称"}},
	{Key: "credit_code", Labels: []string{
		"统一社会信用代码", "信用代码", "社会信用代码", "单位统一社会信用代码"}},
	{Key: "out_date", Labels: []string{"外出时间", "外出务工时间", "外出日期", "外出务工日期"}},
	{Key: "party_status", Labels: []string{"党员身份", "政治面貌", "党籍状态"}},
	{Key: "joined_party", Labels: []string{"入党时间", "入党日期"}},
	{Key: "full_member", Labels: []string{"转正时间", "转正日期"}},
	{Key: "branch", Labels: []string{
		"所在支部", "党组织", "所在党组织", "支部名称", "所属支部", "所属党组织", "党支部", "所在党支部"}},
	{Key: "mobile_card", Labels: []string{
		"流动党员活动证号", "活动证号", "流动党员活动证编号", "活动证编号"}},
	{Key: "education", Labels: []string{"学历", "文化程度"}},
	{Key: "industry", Labels: []string{"行业", "所属行业", "从事行业"}},
	{Key: "occupation", Labels: []string{"职业", "工种", "从事职业"}},
	{Key: "note", Labels: []string{"备注"}},
}

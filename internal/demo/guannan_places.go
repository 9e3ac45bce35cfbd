package demo

import (
	"fmt"
	"math/rand/v2"

	"gongjian/internal/idcheck"
)

// Where the demo's people work. The five host cities take 85 % of them,
// spread over real districts, with more in the districts where a mobile
// organization stands; 15 % work "beyond", in cities the county has no
// agreement with. The shares are invented; the codes are GB/T 2260 (a
// test checks each against the region dictionary).

// district is a county-level unit and its weight within its city.
type district struct {
	code   string
	weight int
}

// workCity is a city and the districts people work in. code is what a
// person's CityCode holds: the prefecture, or the province code of a
// municipality (as the roster import writes it).
type workCity struct {
	code, name string
	share      int // per mille of all workers
	districts  []district
}

var workCities = []workCity{
	{"330100", "杭州", 280, []district{{"330105", 25}, {"330109", 20}, {"330110", 18}, {"330108", 10}, {"330106", 10},
		{"330102", 6}, {"330113", 5}, {"330114", 6}}},
	{"320500", "苏州", 220, []district{{"320506", 30}, {"320583", 30}, {"320582", 12}, {"320505", 8}, {"320507", 8},
		{"320509", 8}, {"320508", 4}}},
	{"310000", "上海", 150, []district{{"310112", 25}, {"310115", 25}, {"310117", 15}, {"310114", 12}, {"310113", 10},
		{"310118", 8}, {"310107", 5}}},
	{"320200", "无锡", 100, []district{{"320214", 30}, {"320281", 20}, {"320213", 15}, {"320211", 15}, {"320206", 10},
		{"320205", 10}}},
	{"370200", "青岛", 100, []district{{"370211", 30}, {"370214", 20}, {"370213", 12}, {"370203", 12}, {"370202", 8},
		{"370215", 10}, {"370212", 8}}},
	// Beyond the agreements.
	{"320100", "南京", 25, []district{{"320115", 3}, {"320106", 1}, {"320104", 1}}},
	{"320700", "连云港", 20, []district{{"320706", 2}, {"320707", 1}}},
	{"320400", "常州", 15, []district{{"320412", 2}, {"320411", 1}}},
	{"320600", "南通", 10, []district{{"320612", 1}, {"320613", 1}}},
	{"330200", "宁波", 15, []district{{"330212", 1}, {"330206", 1}}},
	{"440300", "深圳", 20, []district{{"440306", 2}, {"440307", 1}}},
	{"440100", "广州", 10, []district{{"440113", 1}, {"440111", 1}}},
	{"110000", "北京", 15, []district{{"110105", 2}, {"110106", 1}}},
	{"120000", "天津", 10, []district{{"120116", 1}}},
	{"340100", "合肥", 10, []district{{"340104", 1}, {"340111", 1}}},
}

// hostCities is how many of workCities lead the list as host cities.
const hostCities = 5

// countyCities are county-level cities whose companies carry their own
// name rather than the prefecture's.
var countyCities = map[string]string{"320583": "昆山", "320582": "张家港", "320281": "江阴"}

// placement is a mobile branch or group members are placed in, its weight
// among all placements, and the districts its members work in.
type placement struct {
	org       string
	weight    int
	districts []string
}

// placements cover the 14 mobile organizations by city: Hangzhou 35 %,
// Suzhou (with Kunshan and Zhangjiagang) 25 %, Shanghai 15 %, Wuxi 12 %,
// Qingdao 13 %. A branch of a whole city takes the districts no other
// branch stands in.
var placements = []placement{
	{orgHZGongshu, 8, []string{"330105"}},
	{orgHZGongshu + "第一党小组", 4, []string{"330105"}},
	{orgHZGongshu + "第二党小组", 4, []string{"330105"}},
	{orgHZXiao, 5, []string{"330109"}},
	{orgHZXiao + "第一党小组", 3, []string{"330109"}},
	{orgHZYuhang, 5, []string{"330110", "330113"}},
	{"中共灌南县驻杭州流动党委滨江支部", 3, []string{"330108", "330114"}},
	{"中共灌南县驻杭州流动党委西湖支部", 3, []string{"330106", "330102"}},
	{"中共灌南县驻苏州流动党总支木渎支部", 5, []string{"320506", "320505"}},
	{"中共灌南县驻苏州流动党总支横泾支部", 4, []string{"320506", "320509"}},
	{"中共灌南县驻苏州流动党总支甪直支部", 4, []string{"320506", "320507", "320508"}},
	{orgKunshan, 7, []string{"320583"}},
	{"中共灌南县驻张家港流动党支部", 5, []string{"320582"}},
	{orgQingdao, 3, []string{"370203", "370202", "370212"}},
	{orgQingdao + "第一党小组", 2, []string{"370213"}},
	{orgQingdao + "第二党小组", 2, []string{"370215"}},
	{orgHuangdao, 4, []string{"370211"}},
	{"中共灌南县驻青岛城阳流动党支部", 2, []string{"370214"}},
	{orgWuxi, 5, []string{"320213", "320211", "320206", "320205"}},
	{orgXinwu, 4, []string{"320214"}},
	{"中共灌南县驻江阴流动党支部", 3, []string{"320281"}},
	{orgShanghai, 5, []string{"310114", "310113", "310118", "310107"}},
	{orgPudong, 3, []string{"310115"}},
	{orgMinhang, 5, []string{"310112"}},
	{"中共灌南县驻上海松江流动党支部", 2, []string{"310117"}},
}

// trade is an industry (GB/T 4754 section) as the demo's people work in
// it: its share of workers, what its companies are called, and the jobs.
type trade struct {
	section     string
	share       int // per mille
	kinds, jobs []string
}

var trades = []trade{
	{"E", 300, []string{"建筑工程", "建设工程", "装饰工程", "市政工程", "建筑劳务", "钢结构工程"},
		[]string{"钢筋工", "木工", "瓦工", "架子工", "电工", "水电安装工", "混凝土工", "施工员", "塔吊司机"}},
	{"C", 280, []string{"电子科技", "精密机械", "纺织服饰", "五金制品", "汽车零部件", "塑胶制品", "食品", "新材料科技", "光电科技"},
		[]string{"普工", "电焊工", "数控车床工", "装配工", "质检员", "缝纫工", "叉车司机", "设备维修工"}},
	{"G", 100, []string{"物流", "供应链管理", "运输", "快递服务"}, []string{"货车司机", "快递员", "仓库管理员", "装卸工", "调度员"}},
	{"H", 80, []string{"餐饮管理", "酒店管理", "餐饮服务"}, []string{"厨师", "服务员", "面点师", "配菜员"}},
	{"F", 70, []string{"商贸", "贸易", "超市"}, []string{"营业员", "销售员", "理货员", "收银员"}},
	{"O", 60, []string{"家政服务", "汽车维修服务", "洗涤服务"}, []string{"家政服务员", "汽车维修工", "保洁员"}},
	{"L", 40, []string{"人力资源服务", "保安服务"}, []string{"保安员", "劳务派遣员"}},
	{"N", 30, []string{"环境卫生管理", "园林绿化工程"}, []string{"环卫工", "绿化工"}},
	{"K", 20, []string{"物业服务"}, []string{"物业管理员", "维修工"}},
	{"I", 15, []string{"网络科技", "信息技术"}, []string{"程序员", "网络运维员"}},
	{"Q", 5, []string{"养老服务", "护理服务"}, []string{"养老护理员", "护工"}},
}

// employer is a company the demo's people work for.
type employer struct {
	name, uscc, city, district, section string
	trade                               int // index into trades
}

// employersTotal is how many companies the people work for, shared among
// the cities by their share of the workers.
const employersTotal = 4000

// brandChars make up the invented trade names (恒达, 华瑞 …).
const brandChars = "恒华瑞鑫隆达通泰宏盛兴源宇锦博佳新金中天海正永广立信安德诚顺昌荣福祥远众汇"

// newEmployers invents the companies: per city in proportion to its
// workers, each in a district of it, with a trade by share, a name that
// is unique, and a valid credit code registered in its district.
func newEmployers(seed uint64) (list []employer, byCity map[string][]int) {
	r := rand.New(rand.NewPCG(seed, 0xe3))
	tradeCum := cumulative(len(trades), func(i int) int { return trades[i].share })
	names, codes := map[string]bool{}, map[string]bool{}
	byCity = map[string][]int{}
	for _, c := range workCities {
		n := employersTotal * c.share / 1000
		dcum := cumulative(len(c.districts), func(i int) int { return c.districts[i].weight })
		for range n {
			d := c.districts[pick(dcum, r)].code
			ti := pick(tradeCum, r)
			e := employer{city: c.code, district: d, section: trades[ti].section, trade: ti}
			prefix := c.name
			if p, ok := countyCities[d]; ok {
				prefix = p
			}
			for e.name == "" || names[e.name] {
				suffix := "有限公司"
				if r.IntN(20) == 0 {
					suffix = "集团有限公司"
				}
				kinds := trades[ti].kinds
				a, b := runeAt(brandChars, r), runeAt(brandChars, r)
				for b == a {
					b = runeAt(brandChars, r)
				}
				e.name = prefix + a + b + kinds[r.IntN(len(kinds))] + suffix
			}
			for e.uscc == "" || codes[e.uscc] {
				body := "91" + d + "MA"
				for range 6 {
					body += string(idcheck.USCCAlphabet[r.IntN(len(idcheck.USCCAlphabet))])
				}
				code, ok := idcheck.CompleteUSCC(body)
				if !ok {
					panic(fmt.Sprintf("demo: credit code body %q", body))
				}
				e.uscc = code
			}
			names[e.name], codes[e.uscc] = true, true
			byCity[c.code] = append(byCity[c.code], len(list))
			list = append(list, e)
		}
	}
	return list, byCity
}

// cumulative sums n weights.
func cumulative(n int, w func(i int) int) []int {
	out := make([]int, n)
	sum := 0
	for i := range n {
		sum += w(i)
		out[i] = sum
	}
	return out
}

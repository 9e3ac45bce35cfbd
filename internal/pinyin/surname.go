package pinyin

// Surname readings.
//
// Sources: the 姓 senses of the entries in 《现代汉语词典》 (7th edition),
// cross-checked against the surname table of pinyin-pro
// (github.com/zh-lx/pinyin-pro, lib/data/surname.ts, MIT). Where a surname
// has two readings in use, the first is the dictionary's and the others go
// to Readings so that search finds either; where the sources differ (盖,
// 隗) both readings are kept that way.

// surname is the reading of a single-character surname.
type surname struct {
	reading string   // the surname reading, used by Of
	also    []string // other readings bearers of the surname use
}

// singleSurnames lists single-character surnames whose surname reading is
// not go-pinyin's first reading of the character, or is one of several.
// Entries where go-pinyin already agrees are kept so that the surname
// reading does not depend on the order of go-pinyin's data.
var singleSurnames = map[rune]surname{
	'单': {reading: "shan"},                       // 单雄信; not dan/chan
	'解': {reading: "xie"},                        // 解缙; not jie
	'曾': {reading: "zeng"},                       // 曾国藩; not ceng
	'区': {reading: "ou"},                         // 区寄; not qu
	'仇': {reading: "qiu"},                        // 仇英; not chou
	'朴': {reading: "piao"},                       // Korean 박; not pu
	'查': {reading: "zha"},                        // 查良镛; not cha
	'盖': {reading: "ge", also: []string{"gai"}},  // dictionary gě; many bearers say gài
	'尉': {reading: "wei"},                        // 尉健行; yu only in 尉迟
	'乐': {reading: "yue", also: []string{"le"}},  // 乐毅 yue; 乐嘉 says le
	'缪': {reading: "miao"},                       // not mou/miu
	'覃': {reading: "qin", also: []string{"tan"}}, // both in use in Guangxi
	'翟': {reading: "zhai"},                       // not di
	'阚': {reading: "kan"},                        // not han
	'华': {reading: "hua"},                        // huà as a surname
	'秘': {reading: "bi"},                         // not mi
	'种': {reading: "chong"},                      // 种师道; not zhong
	'召': {reading: "shao"},                       // not zhao
	'柏': {reading: "bai"},                        // not bo
	'薄': {reading: "bo"},                         // not bao
	'繁': {reading: "po"},                         // not fan
	'员': {reading: "yun"},                        // not yuan
	'宓': {reading: "mi", also: []string{"fu"}},   // mì; fú in 宓妃
	'隗': {reading: "wei", also: []string{"kui"}}, // both in use
	'句': {reading: "gou"},                        // 句践; not ju
	'折': {reading: "she"},                        // not zhe
	'洗': {reading: "xian"},                       // not xi
	'能': {reading: "nai"},                        // not neng
	'都': {reading: "du"},                         // not dou
	'藏': {reading: "zang"},                       // not cang
	'重': {reading: "chong"},                      // not zhong
	'祭': {reading: "zhai"},                       // not ji
	'訾': {reading: "zi"},                         // zī
	'褚': {reading: "chu"},                        // chǔ; not zhu/zhe
	'铅': {reading: "yan"},                        // not qian
	'贲': {reading: "ben"},                        // not bi
	'那': {reading: "na"},                         // nā
	'隽': {reading: "juan"},                       // not jun
	'长': {reading: "chang"},                      // not zhang; 长孙 is zhangsun
	'乜': {reading: "nie"},                        // not mie
	'郇': {reading: "xun"},                        // not huan
	'粘': {reading: "nian"},                       // not zhan
	'晟': {reading: "cheng"},                      // not sheng
	'宿': {reading: "su"},                         // not xiu
	'炅': {reading: "gui"},                        // not jiong
	'蕃': {reading: "pi"},                         // not fan
	'朝': {reading: "chao"},                       // not zhao
	'卜': {reading: "bu"},                         // go-pinyin's first is the neutral bo
	'万': {reading: "wan"},                        // mo only in 万俟
	'车': {reading: "che"},                        // ju only in 子车
	'沈': {reading: "shen"},                       // not chen
	'任': {reading: "ren"},                        // rén as a surname
	'叶': {reading: "ye"},                         // not xie
	'石': {reading: "shi"},                        // not dan
	'殷': {reading: "yin"},                        // not yan
	'莘': {reading: "shen"},                       // not xin
	'燕': {reading: "yan"},                        // yān
	'冯': {reading: "feng"},                       // not ping
	'陆': {reading: "lu"},                         // not liu
	'贾': {reading: "jia"},                        // not gu
	'强': {reading: "qiang"},                      // not jiang
	'宁': {reading: "ning"},                       // nìng
	'盛': {reading: "sheng"},                      // not cheng
	'牟': {reading: "mou"},                        // not mu
	'纪': {reading: "ji"},                         // jǐ
	'曲': {reading: "qu"},                         // qū
	'相': {reading: "xiang"},                      // xiàng
	'於': {reading: "yu"},                         // yū; not wu
	'钭': {reading: "tou"},                        // not dou
	'臧': {reading: "zang"},                       // zāng
	'嵇': {reading: "ji"},                         // not xi
	'尚': {reading: "shang"},                      // not chang
	'郗': {reading: "xi"},                         // not chi
	'艾': {reading: "ai"},                         // not yi
	'应': {reading: "ying"},                       // yīng
	'和': {reading: "he"},                         // hé
	'暴': {reading: "bao"},                        // not pu
	'逄': {reading: "pang"},                       // not feng
}

// compoundSurnames lists two-character surnames, read as one surname.
// Most read as their characters do; the reason to list them all is that
// the two characters form one unit in the Sort key, and that the few that
// do not (万俟 moqi, 尉迟 yuchi, 长孙 zhangsun, 澹台 tantai, 子车 ziju)
// override the single-surname reading of their first character.
// 单于 (chanyu) is left out on purpose: today a name starting 单于 is far
// more likely 单 shan with a given name starting 于.
var compoundSurnames = map[string][2]string{
	"欧阳": {"ou", "yang"},
	"司马": {"si", "ma"},
	"诸葛": {"zhu", "ge"},
	"上官": {"shang", "guan"},
	"东方": {"dong", "fang"},
	"夏侯": {"xia", "hou"},
	"皇甫": {"huang", "fu"},
	"尉迟": {"yu", "chi"},
	"公孙": {"gong", "sun"},
	"慕容": {"mu", "rong"},
	"令狐": {"ling", "hu"},
	"长孙": {"zhang", "sun"},
	"宇文": {"yu", "wen"},
	"司徒": {"si", "tu"},
	"轩辕": {"xuan", "yuan"},
	"端木": {"duan", "mu"},
	"独孤": {"du", "gu"},
	"南宫": {"nan", "gong"},
	"万俟": {"mo", "qi"},
	"闻人": {"wen", "ren"},
	"赫连": {"he", "lian"},
	"呼延": {"hu", "yan"},
	"公羊": {"gong", "yang"},
	"澹台": {"tan", "tai"},
	"公冶": {"gong", "ye"},
	"宗政": {"zong", "zheng"},
	"濮阳": {"pu", "yang"},
	"淳于": {"chun", "yu"},
	"太叔": {"tai", "shu"},
	"申屠": {"shen", "tu"},
	"仲孙": {"zhong", "sun"},
	"钟离": {"zhong", "li"},
	"鲜于": {"xian", "yu"},
	"闾丘": {"lv", "qiu"},
	"司空": {"si", "kong"},
	"司寇": {"si", "kou"},
	"亓官": {"qi", "guan"},
	"仉督": {"zhang", "du"},
	"子车": {"zi", "ju"},
	"颛孙": {"zhuan", "sun"},
	"巫马": {"wu", "ma"},
	"公西": {"gong", "xi"},
	"漆雕": {"qi", "diao"},
	"乐正": {"yue", "zheng"},
	"壤驷": {"rang", "si"},
	"公良": {"gong", "liang"},
	"拓跋": {"tuo", "ba"},
	"夹谷": {"jia", "gu"},
	"宰父": {"zai", "fu"},
	"榖梁": {"gu", "liang"},
	"谷梁": {"gu", "liang"},
	"段干": {"duan", "gan"},
	"百里": {"bai", "li"},
	"东郭": {"dong", "guo"},
	"东门": {"dong", "men"},
	"西门": {"xi", "men"},
	"南门": {"nan", "men"},
	"羊舌": {"yang", "she"},
	"梁丘": {"liang", "qiu"},
	"左丘": {"zuo", "qiu"},
	"第五": {"di", "wu"},
}

// applySurname sets the surname readings on the leading tokens. A compound
// surname needs a given name after it (three tokens at least): a two-
// character name such as 东方 or 长孙 is a single surname and a one-
// character given name.
func applySurname(name string, toks []token) {
	if len(toks) == 0 || toks[0].kind != kindHan {
		return
	}
	if len(toks) >= 3 && toks[1].kind == kindHan && toks[1].start == toks[0].end {
		if c, ok := compoundSurnames[name[toks[0].start:toks[1].end]]; ok {
			toks[0].syl, toks[0].surname = c[0], true
			toks[1].syl, toks[1].surname = c[1], true
			return
		}
	}
	if s, ok := singleSurnames[toks[0].r]; ok {
		toks[0].syl = s.reading
	}
	toks[0].surname = true
}

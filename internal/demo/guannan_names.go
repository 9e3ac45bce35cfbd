package demo

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// The names of the demo's people. Surnames are drawn by their national
// frequency: the hundred commonest with the shares the Institute of
// Genetics and Developmental Biology (CAS) published from its 2006 sample
// of 296 million people (as widely reprinted, in hundredths of a percent;
// 萧 written 肖 and 阎 written 闫 as most ID cards have them), then the
// remaining 15 % spread over 179 less common surnames in three tiers and
// four compound surnames. Given names are drawn from the characters of
// their generation: people born before 1980 have the 建国, 秀英 of their
// parents' time, younger ones the 浩宇, 欣怡 of theirs. A few people have
// Uyghur or Kazakh names joined by the middle dot, and a few a given name
// with a character beyond GBK, so the demo exercises both paths.

// surname is one surname and its share in hundredths of a percent.
type surname struct {
	name  string
	share int
}

// topSurnames are the hundred commonest, commonest first (85.01 %).
var topSurnames = []surname{
	{"李", 794}, {"王", 741}, {"张", 707}, {"刘", 538}, {"陈", 453}, {"杨", 308}, {"赵", 229}, {"黄", 223}, {"周", 212}, {"吴", 205},
	{"徐", 167}, {"孙", 154}, {"胡", 131}, {"朱", 126}, {"高", 121}, {"林", 118}, {"何", 117}, {"郭", 115}, {"马", 105}, {"罗", 86},
	{"梁", 84}, {"宋", 81}, {"郑", 78}, {"谢", 72}, {"韩", 68}, {"唐", 63}, {"冯", 62}, {"于", 62}, {"董", 61}, {"肖", 59},
	{"程", 57}, {"曹", 57}, {"袁", 54}, {"邓", 54}, {"许", 54}, {"傅", 51}, {"沈", 50}, {"曾", 50}, {"彭", 50}, {"吕", 47},
	{"苏", 46}, {"卢", 46}, {"蒋", 46}, {"蔡", 44}, {"贾", 41}, {"丁", 41}, {"魏", 40}, {"薛", 40}, {"叶", 39}, {"闫", 38},
	{"余", 38}, {"潘", 38}, {"杜", 37}, {"戴", 36}, {"夏", 35}, {"钟", 35}, {"汪", 35}, {"田", 34}, {"任", 33}, {"姜", 33},
	{"范", 32}, {"方", 31}, {"石", 30}, {"姚", 29}, {"谭", 28}, {"廖", 28}, {"邹", 27}, {"熊", 27}, {"金", 26}, {"陆", 26},
	{"郝", 26}, {"孔", 25}, {"白", 24}, {"崔", 24}, {"康", 24}, {"毛", 23}, {"邱", 23}, {"秦", 22}, {"江", 22}, {"史", 21},
	{"顾", 21}, {"侯", 21}, {"邵", 20}, {"孟", 20}, {"龙", 19}, {"万", 19}, {"段", 19}, {"雷", 17}, {"钱", 17}, {"汤", 17},
	{"尹", 17}, {"黎", 16}, {"易", 16}, {"常", 16}, {"武", 15}, {"乔", 15}, {"贺", 15}, {"赖", 15}, {"龚", 15}, {"文", 14},
}

// tailSurnames share the remaining 14.99 %: 60 at 0.12 %, 60 at 0.08 %,
// 59 at 0.05 %, and the four compound surnames at 0.01 %.
var tailSurnames = [...]struct {
	names string
	share int
}{
	{"邢陶洪翟殷庞葛严苗倪房牛施俞鲁章温季柴包单褚左卞颜祁耿滕管童齐辛骆宁付焦岳纪舒屈项祝梅毕仲伍詹凌韦费蒲聂欧柳戚关尚覃甘宫", 12},
	{"樊向游边符景喻阮盛涂鲍解华裴艾霍路靳宗杭曲储卜穆甄茅芦鞠时乐冉麦邝吉米练蓝农晏明隋臧邬伏姬郁楚凤官丛苑栾鄢桂匡全竺厉荣车", 8},
	{"池成刁危冀郎粟邰商申佘谷戈贲强桑湛门闵佟亢钮禹揭逄郜闻瞿蔺暴仇柏计尤安和云宣满卓花庄翁封丘衣寇幸应屠习晋宿司巫鄂燕阳巩", 5},
	{"欧阳 司马 诸葛 上官", 1},
}

// surnames is every surname with its share, the top hundred first.
func surnames() []surname {
	out := append([]surname(nil), topSurnames...)
	for _, t := range tailSurnames {
		var names []string
		if strings.Contains(t.names, " ") {
			names = strings.Fields(t.names)
		} else {
			for _, r := range t.names {
				names = append(names, string(r))
			}
		}
		for _, n := range names {
			out = append(out, surname{n, t.share})
		}
	}
	return out
}

// givenPool is the characters of given names for one sex and generation:
// the first and second characters of two-character names, and the
// single-character names.
type givenPool struct {
	first, second, single string
}

// givenNames by [female][born in 1980 or later].
var givenNames = [2][2]givenPool{
	{ // men
		{first: "建国志永海春长德卫红金玉学明新忠文立家宝振庆兆广", second: "国军强刚林明华平生山东清成祥福才发荣贵良民富洪",
			single: "伟强军磊勇斌辉刚明平华峰波林涛"},
		{first: "子浩宇俊家晨一博思天嘉梓鑫佳文泽明雨志凯", second: "轩然涛杰豪航辰宇阳鹏飞磊超伟洋凡哲睿琦斌翔远",
			single: "伟强磊涛斌杰鹏辉超亮浩宇鑫帅凯旭阳昊"},
	},
	{ // women
		{first: "秀桂玉春红丽美凤金淑彩兰小素翠爱月", second: "英兰珍芳梅华红萍霞云琴凤莲娟荣花香",
			single: "芳娜敏静丽艳燕霞玲娟红梅英萍"},
		{first: "欣雨思佳梓诗子晓婉紫若雅梦可嘉静慧雪", second: "怡涵琪彤萱悦妍婷雯琳瑶颖璐洁倩岚宁菲",
			single: "婷雪慧颖倩洁琳萍晶蕾娜静敏悦"},
	},
}

// beyondGBK are given names with a character GBK cannot hold (CJK
// Extension A to E), all with readings in the pinyin tables.
var beyondGBK = [2][]string{
	{"䶮", "子𬘭", "𫖯", "嘉𬊈", "𬭚", "志𬀩"},
	{"𬘭", "雨𫓶", "佳𬍛", "思𬤊"},
}

// minorityNames are Uyghur (05) and Kazakh (17) names: a given name, the
// middle dot, and the father's given name.
var minorityNames = [2][]struct{ given, ethnicity string }{
	{{"买买提", "05"}, {"艾尔肯", "05"}, {"阿不都热合曼", "05"}, {"吐尔洪", "05"}, {"艾力", "05"}, {"努尔兰", "17"}, {"叶尔兰", "17"}},
	{{"阿依古丽", "05"}, {"古丽米拉", "05"}, {"热依拉", "05"}, {"帕提古丽", "05"}, {"阿依达娜", "17"}, {"古丽娜尔", "17"}},
}

// fatherNames are the second part of a minority name.
var fatherNames = []string{"艾力", "吐尔逊", "买买提", "阿不都", "依明", "哈力木", "别克", "吾守尔", "艾买提"}

// nameTable draws names; build it once (newNameTable) and share it.
type nameTable struct {
	surnames []surname
	cum      []int // cumulative shares
}

func newNameTable() *nameTable {
	t := &nameTable{surnames: surnames()}
	sum := 0
	for _, s := range t.surnames {
		sum += s.share
		t.cum = append(t.cum, sum)
	}
	return t
}

// surname draws one surname by its share.
func (t *nameTable) surname(r *rand.Rand) string {
	return t.surnames[pick(t.cum, r)].name
}

// draw makes a name for a person of the sex and birth year given, and
// says the ethnicity when the name is a minority one ("" otherwise).
func (t *nameTable) draw(r *rand.Rand, female bool, born int) (name, ethnicity string) {
	sex := 0
	if female {
		sex = 1
	}
	switch x := r.IntN(10000); {
	case x < 6: // 0.06 %: a Uyghur or Kazakh name
		m := minorityNames[sex][r.IntN(len(minorityNames[sex]))]
		return m.given + "·" + fatherNames[r.IntN(len(fatherNames))], m.ethnicity
	case x < 12: // 0.06 %: a character beyond GBK
		return t.surname(r) + beyondGBK[sex][r.IntN(len(beyondGBK[sex]))], ""
	}
	gen := 0
	if born >= 1980 {
		gen = 1
	}
	p := givenNames[sex][gen]
	if r.IntN(100) < 15 {
		return t.surname(r) + runeAt(p.single, r), ""
	}
	return t.surname(r) + runeAt(p.first, r) + runeAt(p.second, r), ""
}

// runeAt draws one character of s.
func runeAt(s string, r *rand.Rand) string {
	n := r.IntN(utf8.RuneCountInString(s))
	for _, c := range s {
		if n == 0 {
			return string(c)
		}
		n--
	}
	return ""
}

// pick draws an index by cumulative weights.
func pick(cum []int, r *rand.Rand) int {
	x := r.IntN(cum[len(cum)-1])
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

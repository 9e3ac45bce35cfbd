package idcheck

import (
	"strconv"
	"strings"
)

// EthnicGroup is one entry of GB/T 3304.
type EthnicGroup struct {
	Code string // two digits
	Name string // with the 族 suffix where the standard has one
}

// ethnicGroups is GB/T 3304-1991 in code order: the 56 groups, then 97
// (other, for groups not yet identified) and 98 (citizens of foreign
// origin).
var ethnicGroups = [...]EthnicGroup{
	{"01", "汉族"}, {"02", "蒙古族"}, {"03", "回族"}, {"04", "藏族"}, {"05", "维吾尔族"},
	{"06", "苗族"}, {"07", "彝族"}, {"08", "壮族"}, {"09", "布依族"}, {"10", "朝鲜族"},
	{"11", "满族"}, {"12", "侗族"}, {"13", "瑶族"}, {"14", "白族"}, {"15", "土家族"},
	{"16", "哈尼族"}, {"17", "哈萨克族"}, {"18", "傣族"}, {"19", "黎族"}, {"20", "傈僳族"},
	{"21", "佤族"}, {"22", "畲族"}, {"23", "高山族"}, {"24", "拉祜族"}, {"25", "水族"},
	{"26", "东乡族"}, {"27", "纳西族"}, {"28", "景颇族"}, {"29", "柯尔克孜族"}, {"30", "土族"},
	{"31", "达斡尔族"}, {"32", "仫佬族"}, {"33", "羌族"}, {"34", "布朗族"}, {"35", "撒拉族"},
	{"36", "毛南族"}, {"37", "仡佬族"}, {"38", "锡伯族"}, {"39", "阿昌族"}, {"40", "普米族"},
	{"41", "塔吉克族"}, {"42", "怒族"}, {"43", "乌孜别克族"}, {"44", "俄罗斯族"}, {"45", "鄂温克族"},
	{"46", "德昂族"}, {"47", "保安族"}, {"48", "裕固族"}, {"49", "京族"}, {"50", "塔塔尔族"},
	{"51", "独龙族"}, {"52", "鄂伦春族"}, {"53", "赫哲族"}, {"54", "门巴族"}, {"55", "珞巴族"},
	{"56", "基诺族"},
	{"97", "其他"}, {"98", "外国血统中国籍人士"},
}

// ethnicAliases are other names rosters use. 崩龙族 was renamed 德昂族 in
// 1985; 毛难族 became 毛南族 in 1986; older people's records keep them.
var ethnicAliases = map[string]string{
	"崩龙": "46", "毛难": "36", "其它": "97", "其他民族": "97", "未识别民族": "97",
	"外国血统": "98", "外籍加入中国籍": "98",
}

// EthnicGroups lists GB/T 3304 in code order, for pickers.
func EthnicGroups() []EthnicGroup { return append([]EthnicGroup(nil), ethnicGroups[:]...) }

// Ethnicity resolves a code ("01", "1", full-width digits too) or a name
// with or without 族 ("汉", "汉族") to the standard code and name.
func Ethnicity(s string) (code, name string, ok bool) {
	k := foldCode(s, isSpace)
	if k == "" {
		return "", "", false
	}
	if allDigits(k) {
		n, err := strconv.Atoi(k)
		if err != nil || len(k) > 3 {
			return "", "", false
		}
		return ethnicByNumber(n)
	}
	if c, ok := ethnicAliases[strings.TrimSuffix(k, "族")]; ok {
		n, _ := strconv.Atoi(c)
		return ethnicByNumber(n)
	}
	for _, g := range ethnicGroups {
		if g.Name == k || strings.TrimSuffix(g.Name, "族") == k {
			return g.Code, g.Name, true
		}
	}
	return "", "", false
}

func ethnicByNumber(n int) (code, name string, ok bool) {
	switch {
	case n >= 1 && n <= 56:
		g := ethnicGroups[n-1]
		return g.Code, g.Name, true
	case n == 97 || n == 98:
		g := ethnicGroups[56+n-97]
		return g.Code, g.Name, true
	}
	return "", "", false
}

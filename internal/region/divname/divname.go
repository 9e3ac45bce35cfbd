// Package divname derives the short form of a Chinese administrative
// division's name, the form people write on rosters: 肃北 for
// 肃北蒙古族自治县, 延边 for 延边朝鲜族自治州, 广西 for 广西壮族自治区,
// 新安 for 新安镇.
//
// It is a package of its own because two programs need the very same rule:
// package region, which indexes short names when it loads its table, and
// the generator under region/gen, which matches a county to the city or
// district it became by comparing stems (昌平县 → 昌平区). The generator
// cannot import region itself, whose embedded files it writes.
package divname

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Levels, numbered as region.Level numbers them.
const (
	Province = iota
	Prefecture
	County
	Township
	// Any tries the suffixes of every level, for a query whose level is
	// unknown (灌南县 typed by an official).
	Any
)

// suffixes per level, longest first so that 自治县 wins over 县.
// autonomous marks the suffixes after which ethnic names are stripped too.
var suffixes = [...][]string{
	Province:   {"特别行政区", "自治区", "省", "市"},
	Prefecture: {"自治州", "地区", "盟", "市"},
	County:     {"自治县", "自治旗", "林区", "特区", "矿区", "新区", "县", "区", "旗", "市"},
	Township:   {"街道办事处", "民族苏木", "民族乡", "民族镇", "街道", "地区", "苏木", "镇", "乡"},
}

// autonomous are the suffixes that may follow ethnic names: 自治… for
// autonomous areas, and the township words, since ethnic townships are
// named 某某回族乡 as often as 某某民族乡.
var autonomous = []string{"自治区", "自治州", "自治县", "自治旗", "民族苏木", "民族乡", "民族镇", "苏木", "镇", "乡"}

// Ethnic are the 56 ethnic groups of China without the character 族, plus
// 各 for the "all nationalities" of 龙胜各族自治县. Longest first, so that
// stripping tries 乌孜别克 before any shorter name it might end with.
var Ethnic = func() []string {
	names := strings.Fields(`汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎
		傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯
		阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴
		基诺 各`)
	slices.SortStableFunc(names, func(a, b string) int { return len(b) - len(a) })
	return names
}()

// minRunes is the shortest short name kept: a one-character stem (涉 of
// 涉县, 城 of 城区) matches far too much to be useful.
const minRunes = 2

// Short returns the short form of name at level (Province … Township, or
// Any), or "" when name has none: no known suffix, or a stem shorter than
// two characters. The short form is always a prefix of name.
func Short(name string, level int) string {
	stem := Stem(name, level)
	if stem == name || utf8.RuneCountInString(stem) < minRunes {
		return ""
	}
	return stem
}

// Stem is Short without the two-character floor: 涉县 gives 涉, which the
// generator needs to see that 滦县 became 滦州市. It returns name itself
// when no suffix applies.
func Stem(name string, level int) string {
	sets := suffixes[:] // Any: every level's suffixes
	if level >= Province && level < Any {
		sets = suffixes[level : level+1]
	}
	best, cut := name, ""
	for _, set := range sets {
		rest, s := cutSuffix(name, set)
		if s != "" && len(rest) < len(best) {
			best, cut = rest, s
		}
	}
	if cut == "" {
		return name
	}
	if slices.Contains(autonomous, cut) {
		best = stripEthnic(best, strings.HasPrefix(cut, "自治"))
	}
	return best
}

// cutSuffix cuts the longest suffix of set that leaves a stem of two
// characters or more, else the longest that leaves anything: 清新区 is
// 清新 and not 清 (新区 is a suffix too, of 浦东新区), but 涉县 is still 涉.
func cutSuffix(name string, set []string) (rest, suffix string) {
	for _, s := range set {
		if r, ok := strings.CutSuffix(name, s); ok && r != "" {
			if utf8.RuneCountInString(r) >= minRunes {
				return r, s
			}
			if suffix == "" {
				rest, suffix = r, s
			}
		}
	}
	return rest, suffix
}

// stripEthnic removes ethnic names from the end of stem, as long as at
// least two characters remain: 彭水苗族土家族 → 彭水, 博尔塔拉蒙古 → 博尔塔拉,
// but 内蒙古 stays whole. A bare name (without 族) is stripped only before
// 自治… (bare is true), where the prefectures of Xinjiang use it, and only
// when it has two characters or more, so that a township such as 大高山镇
// or the 水 of 清水 is never taken for an ethnic group.
func stripEthnic(stem string, bare bool) string {
	for {
		next := stem
		for _, e := range Ethnic {
			if rest, ok := strings.CutSuffix(stem, e+"族"); ok {
				next = rest
				break
			}
			if bare && utf8.RuneCountInString(e) >= 2 {
				if rest, ok := strings.CutSuffix(stem, e); ok {
					next = rest
					break
				}
			}
		}
		if next == stem || utf8.RuneCountInString(next) < minRunes {
			return stem
		}
		stem = next
	}
}

package domain

import "slices"

// Rating is the result of a member's yearly democratic evaluation
// (民主评议党员, party-rules.md §3).
type Rating string

// The ratings, best first.
const (
	RatingExcellent   Rating = "excellent"   // 优秀
	RatingQualified   Rating = "qualified"   // 合格
	RatingBasic       Rating = "basic"       // 基本合格
	RatingUnqualified Rating = "unqualified" // 不合格: education first, then a disposal with a time limit
)

// Ratings lists them best first.
func Ratings() []Rating {
	return []Rating{RatingExcellent, RatingQualified, RatingBasic, RatingUnqualified}
}

// Valid reports whether r is a known rating.
func (r Rating) Valid() bool { return slices.Contains(Ratings(), r) }

// NeedsFollowUp reports whether the rating requires the follow-up the rules
// prescribe (限期改正, 劝退 or 除名), tracked as a task.
func (r Rating) NeedsFollowUp() bool { return r == RatingUnqualified }

// CheckExcellentShare refuses a set of ratings for one organization and
// year in which more than the allowed share are excellent (at most a third
// by the rules: excellent*den <= rated*num).
func CheckExcellentShare(ratings map[Rating]int, num, den int) error {
	rated := 0
	for _, n := range ratings {
		rated += n
	}
	if ratings[RatingExcellent]*den > rated*num {
		return Rule("evaluation.excellent_share", map[string]any{"Excellent": ratings[RatingExcellent], "Rated": rated})
	}
	return nil
}

package domain

// Attendance over a span and the six-month absence rule (party-rules.md
// §2.4 and §3: a member absent without reason from organizational life for
// six consecutive months has lapsed, and the branch must act).

// Tally counts the lines of the attendance sheets of held meetings where
// a member was expected: the rate is present over expected, and leave,
// excused and absent are shown beside it so that "not present" is never
// read as "absent without reason".
type Tally struct {
	Expected int `json:"expected"`
	Present  int `json:"present"`
	Leave    int `json:"leave"`
	Excused  int `json:"excused"`
	Absent   int `json:"absent"`
	Unmarked int `json:"unmarked"`
}

// Add counts n lines of status s.
func (t *Tally) Add(s AttendanceStatus, n int) {
	t.Expected += n
	switch s {
	case AttendPresent:
		t.Present += n
	case AttendLeave:
		t.Leave += n
	case AttendExcused:
		t.Excused += n
	case AttendAbsent:
		t.Absent += n
	default:
		t.Unmarked += n
	}
}

// Plus is the sum of two tallies.
func (t Tally) Plus(u Tally) Tally {
	return Tally{Expected: t.Expected + u.Expected, Present: t.Present + u.Present, Leave: t.Leave + u.Leave,
		Excused: t.Excused + u.Excused, Absent: t.Absent + u.Absent, Unmarked: t.Unmarked + u.Unmarked}
}

// Rate is present over expected, between 0 and 1; ok is false when the
// member (or organization) was expected nowhere in the span.
func (t Tally) Rate() (rate float64, ok bool) {
	if t.Expected == 0 {
		return 0, false
	}
	return float64(t.Present) / float64(t.Expected), true
}

// Percent is the rate in whole percent, rounded half up (0 when nothing
// was expected).
func (t Tally) Percent() int {
	if t.Expected == 0 {
		return 0
	}
	return (200*t.Present + t.Expected) / (2 * t.Expected)
}

// AbsenceRule is how many consecutive months of absence without reason
// flag a member: six by the rules, a setting so the county can follow a
// change of rules without a release.
type AbsenceRule struct {
	Months int `json:"months"`
}

// DefaultAbsenceRule is six months.
func DefaultAbsenceRule() AbsenceRule { return AbsenceRule{Months: 6} }

// Check validates the rule: whole months from 1 to MaxContactMonths.
func (r AbsenceRule) Check() error {
	if r.Months < 1 || r.Months > MaxContactMonths {
		return Invalid("months", "absence.months_range", map[string]any{"Max": MaxContactMonths})
	}
	return nil
}

// Cutoff is the day on or before which an unbroken run of absences must
// have begun to be flagged on today: exactly Months calendar months
// earlier (Date.AddMonths keeps the day inside the target month).
func (r AbsenceRule) Cutoff(today Date) Date { return today.AddMonths(-r.Months) }

package domain

// ContactThresholds are the lost-contact warning's numbers, in whole
// months without a reached contact (party-rules.md §2.4: six months is
// lost contact; three is the county's early warning). They are data, so
// the county can follow a change of rules without a release.
type ContactThresholds struct {
	AtRiskMonths int `json:"at_risk_months"`
	LostMonths   int `json:"lost_months"`
}

// DefaultContactThresholds are 3 months for at risk and 6 for lost.
func DefaultContactThresholds() ContactThresholds {
	return ContactThresholds{AtRiskMonths: 3, LostMonths: 6}
}

// MaxContactMonths bounds the thresholds: past two years a lapsed member
// is removed (§2.4), so a longer warning means nothing.
const MaxContactMonths = 24

// Check validates the thresholds: whole months, 0 < at risk < lost ≤ 24.
func (t ContactThresholds) Check() error {
	args := map[string]any{"Max": MaxContactMonths}
	switch {
	case t.AtRiskMonths < 1 || t.AtRiskMonths > MaxContactMonths:
		return Invalid("at_risk_months", "contact.threshold_range", args)
	case t.LostMonths < 1 || t.LostMonths > MaxContactMonths:
		return Invalid("lost_months", "contact.threshold_range", args)
	case t.LostMonths <= t.AtRiskMonths:
		return Invalid("lost_months", "contact.threshold_order", nil)
	}
	return nil
}

// Cutoffs are the latest last-contact dates that count as at risk and as
// lost on today: a member last reached on or before LostOn is lost.
func (t ContactThresholds) Cutoffs(today Date) (atRiskOn, lostOn Date) {
	return today.AddMonths(-t.AtRiskMonths), today.AddMonths(-t.LostMonths)
}

// StateOn reads a member's last contact against the thresholds on today.
// Exactly three months after the last contact is at risk; a day less is
// not.
func (t ContactThresholds) StateOn(last, today Date) ContactState {
	atRisk, lost := t.Cutoffs(today)
	switch {
	case !last.After(lost):
		return ContactLost
	case !last.After(atRisk):
		return ContactAtRisk
	}
	return ContactOK
}

// Valid reports whether c is a known contact state.
func (c ContactState) Valid() bool {
	return c == ContactOK || c == ContactAtRisk || c == ContactLost
}

// Flagged reports whether the state is a warning (at risk or lost).
func (c ContactState) Flagged() bool { return c == ContactAtRisk || c == ContactLost }

// IsMember reports whether the status is Party membership (probationary
// or full): only members can lose contact with their organization.
func (s MemberStatus) IsMember() bool { return s == StatusProbationary || s == StatusFull }

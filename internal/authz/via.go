package authz

// Via lists the reaches through which the actor holds p for the target, in
// the actor's order. CanAt answers whether; Via answers how, for the
// actions whose meaning depends on the side the actor acts for: the same
// feedback:write lets a host (through an agreement) and a mobile secretary
// (through a role) write feedback, and a home secretary answer it.
func (a *Actor) Via(p Perm, t Target) []Reach {
	if a == nil || a.AccountID == 0 {
		return nil
	}
	var out []Reach
	for _, r := range a.Reach {
		if ok, _ := reachAllows(r, p, t); ok {
			out = append(out, r)
		}
	}
	return out
}

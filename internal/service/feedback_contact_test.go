package service_test

import (
	"testing"

	"gongjian/internal/domain"
	"gongjian/internal/service"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// TestFeedbackIsAContact: a host's feedback about a member is evidence
// the member is in touch (party-rules.md "lost contact"): a contact on
// the feedback's day (channel feedback) that takes an at-risk member off
// the warning list at once. Feedback rating participation and conduct at
// the bottom is the host saying it lost sight of the member: no contact.
func TestFeedbackIsAContact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newConductWorld(t, db)
		risky, gone := w.people["三甲"], w.people["三乙"]
		for _, id := range []domain.PersonID{risky, gone} {
			w.reached(t, id, domain.NewDate(2026, 7, 20)) // four months before the world's day
		}
		_, err := w.svc.CheckContacts(ctx, w.svc.Today())
		noErr(t, err)
		home := w.actor(t, "home")
		page, err := w.svc.ContactWarnings(ctx, home, service.WarningSearch{State: domain.ContactAtRisk})
		noErr(t, err)
		if page.AtRisk != 2 {
			t.Fatalf("at risk before: %+v", page)
		}
		host := w.actor(t, "host")
		_, err = w.svc.WriteFeedback(ctx, host, service.FeedbackInput{Person: gone, Quarter: "2026-Q4",
			Participation: domain.ParticipationRarely, Conduct: domain.ConductPoor, Remarks: "社区多次联系未果"})
		noErr(t, err)
		w.write(t, "host", "三甲", "2026-Q4")

		page, err = w.svc.ContactWarnings(ctx, home, service.WarningSearch{State: domain.ContactAtRisk})
		noErr(t, err)
		if page.AtRisk != 1 || len(page.Rows) != 1 || page.Rows[0].PersonID != gone {
			t.Fatalf("at risk after: %+v", page)
		}
		if w.stateOf(t, risky) != domain.ContactOK || w.stateOf(t, gone) != domain.ContactAtRisk {
			t.Fatalf("states %s %s", w.stateOf(t, risky), w.stateOf(t, gone))
		}
		list, err := w.svc.Contacts(ctx, home, risky)
		noErr(t, err)
		if len(list) != 2 || list[0].Channel != "feedback" || !list[0].Reached || list[0].On != w.svc.Today() ||
			list[0].ActorName != "host" {
			t.Fatalf("contacts %+v", list)
		}
		// The scheduled check agrees.
		_, err = w.svc.CheckContacts(ctx, w.svc.Today())
		noErr(t, err)
		if w.stateOf(t, risky) != domain.ContactOK {
			t.Fatal("the check flagged the member again")
		}
	})
}

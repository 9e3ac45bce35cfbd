package store_test

import (
	"context"
	"testing"
	"time"

	"gongjian/internal/domain"
	"gongjian/internal/store"
	"gongjian/internal/store/storetest"
)

// hostMeeting stores a held joint meeting of a mobile branch with a host
// organization, and returns it.
func hostMeeting(t *testing.T, db *store.DB) domain.MeetingID {
	t.Helper()
	ctx := context.Background()
	var id domain.MeetingID
	if err := db.Tx(ctx, func(tx store.Tx) error {
		org, err := store.CreateOrg(ctx, tx, domain.Org{Name: "流动党员支部", Side: domain.SideMobile}, importNow)
		if err != nil {
			return err
		}
		host, err := store.CreateOrg(ctx, tx, domain.Org{Name: "米市巷街道党工委", Side: domain.SideHost}, importNow)
		if err != nil {
			return err
		}
		start := time.Date(2026, 6, 6, 1, 0, 0, 0, time.UTC)
		id, err = store.CreateMeeting(ctx, tx, domain.Meeting{OrgID: org, Kind: domain.MeetingThemeDay, State: domain.MeetingHeld,
			StartsAt: start, HeldOn: domain.Today(start), Topic: "联合主题党日", CoOrgID: host, CreatedBy: "t"}, importNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestHostAttendeesStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := hostMeeting(t, db)
		yes := true
		var first int64
		if err := db.Tx(ctx, func(tx store.Tx) error {
			var err error
			if first, err = store.AddHostAttendee(ctx, tx, domain.HostAttendee{MeetingID: id, Name: "钱志文", Post: "组织委员",
				PartyMember: &yes, AddedBy: "t", AddedAt: importNow}); err != nil {
				return err
			}
			return store.InsertHostAttendees(ctx, tx, []domain.HostAttendee{
				{MeetingID: id, Post: "辖区居民", Headcount: 12, AddedBy: "t", AddedAt: importNow},
				{MeetingID: id, Name: "方晓燕", AddedBy: "t", AddedAt: importNow},
			})
		}); err != nil {
			t.Fatal(err)
		}
		hs, err := store.HostAttendees(ctx, db.Read(), id)
		if err != nil {
			t.Fatal(err)
		}
		// Named people first, in the order added, then the headcounts.
		if len(hs) != 3 || hs[0].ID != first || !*hs[0].PartyMember || hs[1].Name != "方晓燕" || hs[1].PartyMember != nil ||
			hs[1].Headcount != 1 || hs[2].Named() || hs[2].Headcount != 12 || !hs[0].AddedAt.Equal(importNow) {
			t.Fatalf("hosts %+v", hs)
		}
		if c := domain.CountHosts(hs); c != (domain.HostCount{Named: 2, Unnamed: 12, Total: 14, PartyMembers: 1}) {
			t.Fatalf("count %+v", c)
		}
		// The schema holds a named line to one person.
		err = db.Tx(ctx, func(tx store.Tx) error {
			_, err := store.AddHostAttendee(ctx, tx, domain.HostAttendee{MeetingID: id, Name: "叶建华", Headcount: 2, AddedBy: "t",
				AddedAt: importNow})
			return err
		})
		if err == nil {
			t.Fatal("a named line of two people was stored")
		}
		if err := db.Tx(ctx, func(tx store.Tx) error { return store.DeleteHostAttendee(ctx, tx, id, first) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Tx(ctx, func(tx store.Tx) error { return store.DeleteHostAttendee(ctx, tx, id, first) }); err != domain.ErrNotFound {
			t.Fatalf("second delete: %v", err)
		}
		if n, err := store.CountHostLines(ctx, db.Read(), id); err != nil || n != 2 {
			t.Fatalf("%d lines, %v", n, err)
		}
	})
}

// TestFeedbackChannelMigration: 00017 widens the contact channels with
// feedback, keeping every contact row and id (SQLite rebuilds the
// table); rolled back, the feedback contacts go and the others stay.
func TestFeedbackChannelMigration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		person, _ := lifeWorld(t, db)
		add := func(channel string) error {
			return db.Tx(ctx, func(tx store.Tx) error {
				_, err := store.AddContact(ctx, tx, store.Contact{PersonID: person, On: domain.NewDate(2026, 9, 1), Channel: channel,
					Reached: true, ActorName: "t", RecordedAt: importNow})
				return err
			})
		}
		if err := db.MigrateDownTo(ctx, 16); err != nil {
			t.Fatal(err)
		}
		if add("phone") != nil || add("feedback") == nil {
			t.Fatal("before 00017: phone refused or feedback accepted")
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if add("feedback") != nil || add("bogus") == nil {
			t.Fatal("after 00017: feedback refused or bogus accepted")
		}
		list, err := store.Contacts(ctx, db.Read(), person, 10)
		if err != nil || len(list) != 2 {
			t.Fatalf("contacts %+v %v", list, err)
		}
		if err := db.MigrateDownTo(ctx, 16); err != nil {
			t.Fatal(err)
		}
		after, err := store.Contacts(ctx, db.Read(), person, 10)
		if err != nil || len(after) != 1 || after[0].Channel != "phone" || after[0].ID != list[1].ID {
			t.Fatalf("rolled back: %+v %v (before %+v)", after, err, list)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

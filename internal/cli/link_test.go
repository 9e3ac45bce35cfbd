package cli_test

import (
	"strings"
	"testing"

	"gongjian/internal/store"
)

func TestUserLinkCommand(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		db := importSite(t, s)
		s.run(ctx, "import", "persons", rosterCSV(t, s.dir, 2), "--origin", "灌南县委").want(t, 0)
		s.env["GONGJIAN_PASSWORD"] = "Gongjian-2026-test"
		s.run(ctx, "user", "add", "m1").want(t, 0)
		s.run(ctx, "user", "add", "m2").want(t, 0)

		s.run(ctx, "user", "link", "m1").want(t, 2, "gongjian user link NAME --id-number N")
		s.run(ctx, "user", "link", "m1", "--id-number", rosterID(0), "--unlink").want(t, 2, "gongjian user link NAME --id-number N")
		s.run(ctx, "user", "link", "m1", "--id-number", rosterID(50)).want(t, 2, "No person is registered with this ID number")
		// The roster brought workers; a worker's record is no member's.
		s.run(ctx, "user", "link", "m1", "--id-number", rosterID(0)).want(t, 2, "not a Party member")
		if err := db.Tx(ctx, func(tx store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO memberships (person_id, status, home_org_id) SELECT id, 'full', origin_org_id FROM persons`)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		r := s.run(ctx, "user", "link", "m1", "--id-number", rosterID(0))
		r.want(t, 0, "The account m1 is linked to the person record", "320724********")
		if strings.Contains(r.out+r.err, rosterID(0)) {
			t.Errorf("the clear ID number was printed: %s%s", r.out, r.err)
		}
		s.run(ctx, "user", "link", "m2", "--id-number", rosterID(0)).want(t, 2, "already linked to the account m1")
		s.run(ctx, "user", "link", "m1", "--unlink").want(t, 0, "no longer linked")
		s.run(ctx, "user", "link", "m2", "--id-number", rosterID(0)).want(t, 0, "linked")
		s.run(ctx, "user", "link", "nobody", "--unlink").want(t, 2, "there is no account nobody")
		s.run(ctx, "audit", "verify").want(t, 0, "audit chain intact")
	})
}

package store

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"gongjian/internal/domain"
)

// OrgNames caches organization names for the people lists, which would
// otherwise join three organizations to every row (a third of a page's
// reads). An entry is good for the access epoch it was read at: a rename,
// a move or a deletion of an organization moves the epoch (migrations
// 00015 and 00019), on whichever server or through plain SQL, and a list
// reads the epoch in the same statement as its rows, so it never shows a
// name older than its own snapshot. A new organization does not move the
// epoch; a name the cache lacks reloads it. One value per Service.
type OrgNames struct {
	mu    sync.RWMutex
	epoch int64
	names map[domain.OrgID]string
}

// NewOrgNames returns an empty cache.
func NewOrgNames() *OrgNames { return &OrgNames{epoch: -1} }

// fill sets the organization names of rows, which were read at epoch.
func (c *OrgNames) fill(ctx context.Context, q Q, epoch int64, rows []PersonRow) error {
	if c.apply(epoch, rows) {
		return nil
	}
	names, at, err := orgNames(ctx, q)
	if err != nil {
		return err
	}
	c.mu.Lock()
	if at >= c.epoch {
		c.epoch, c.names = at, names
	}
	c.mu.Unlock()
	// The names just read are at least as new as the rows: use them
	// whatever the cache kept.
	applyNames(names, rows)
	return nil
}

// apply fills rows from the cache when it holds epoch and every name.
func (c *OrgNames) apply(epoch int64, rows []PersonRow) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.epoch != epoch {
		return false
	}
	return applyNames(c.names, rows)
}

// applyNames sets the names of rows' organizations from names and says
// whether it knew them all.
func applyNames(names map[domain.OrgID]string, rows []PersonRow) bool {
	all := true
	name := func(id domain.OrgID) string {
		n, ok := names[id]
		all = all && ok
		return n
	}
	for i := range rows {
		p := &rows[i]
		p.OriginOrgName = name(p.OriginOrgID)
		if m := p.Membership; m != nil {
			m.HomeOrgName = name(m.HomeOrgID)
			if m.MobileOrgID != 0 {
				m.MobileOrgName = name(m.MobileOrgID)
			}
		}
	}
	return all
}

// orgNames reads every organization's name and the access epoch, in one
// statement (one snapshot).
func orgNames(ctx context.Context, q Q) (map[domain.OrgID]string, int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, (SELECT n FROM access_epoch WHERE id = 1) FROM orgs`)
	if err != nil {
		return nil, 0, fmt.Errorf("store: organization names: %w", err)
	}
	defer rows.Close()
	names := map[domain.OrgID]string{}
	var epoch int64
	for rows.Next() {
		var id domain.OrgID
		var name string
		if err := rows.Scan(&id, &name, &epoch); err != nil {
			return nil, 0, fmt.Errorf("store: organization names: %w", err)
		}
		names[id] = name
	}
	return names, epoch, rows.Err()
}

// personColsBare are personCols without the organizations' names (read
// from OrgNames instead), and personJoinsBare their one join.
var (
	personColsBare  = strings.NewReplacer("oo.name", "''", "ho.name", "NULL", "mo.name", "NULL").Replace(personCols)
	personJoinsBare = `
	LEFT JOIN memberships m ON m.person_id = p.id`
)

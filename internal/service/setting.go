package service

import (
	"context"
	"encoding/json"
	"fmt"

	"gongjian/internal/authz"
	"gongjian/internal/domain"
	"gongjian/internal/store"
)

// loadSetting reads a JSON setting into a value, or returns def when the
// setting was never stored.
func loadSetting[T any](ctx context.Context, s *Service, key string, def T) (T, error) {
	v, err := store.Setting(ctx, s.db.Read(), key)
	if err != nil && domain.CodeOf(err) != domain.CodeNotFound {
		return def, err
	}
	return decodeSetting(key, v, err == nil, def)
}

// decodeSetting decodes a setting's stored value, or returns def when it
// was never stored (found false).
func decodeSetting[T any](key, v string, found bool, def T) (T, error) {
	if !found {
		return def, nil
	}
	var out T
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return def, fmt.Errorf("service: stored setting %s: %w", key, err)
	}
	return out, nil
}

// saveSetting stores a JSON setting with its audit entry, after checking
// the permission.
func saveSetting[T any](ctx context.Context, s *Service, a *authz.Actor, perm authz.Perm, action, key string, old, next T) error {
	if err := require(a, perm); err != nil {
		return s.denied(ctx, a, action, "setting", key, err)
	}
	b, _ := json.Marshal(next)
	return s.db.Tx(ctx, func(tx store.Tx) error {
		if err := store.PutSetting(ctx, tx, key, string(b), s.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, action, "setting", key, "ok", change{Before: old, After: next})
	})
}

const thresholdsKey = "org_thresholds"

// Thresholds returns the structure advisor's numbers in force.
func (s *Service) Thresholds(ctx context.Context) (domain.Thresholds, error) {
	return loadSetting(ctx, s, thresholdsKey, domain.DefaultThresholds())
}

// SetThresholds stores new structure thresholds (security officer's
// policies).
func (s *Service) SetThresholds(ctx context.Context, a *authz.Actor, t domain.Thresholds) error {
	if t.BranchMinFull < 1 || t.BranchCommitteeAt < t.BranchMinFull || t.GeneralBranchAbove < t.BranchCommitteeAt || t.CommitteeAt <= t.GeneralBranchAbove {
		return domain.Invalid("thresholds", "org.thresholds_invalid", nil)
	}
	old, err := s.Thresholds(ctx)
	if err != nil {
		return err
	}
	return saveSetting(ctx, s, a, authz.PolicyManage, "thresholds.set", thresholdsKey, old, t)
}

// Package layers holds no code, only the test that keeps imports flowing
// one way: domain ← authz ← store ← service ← {web, api} ← server ← cli ←
// cmd, with the focused helpers at the level of what they import.
package layers

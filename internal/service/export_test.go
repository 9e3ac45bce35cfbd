package service

// FlushTouches waits until the session activity noted so far is written.
func (s *Service) FlushTouches() { s.flushTouches() }

# gongjian build entry points. `make demo` and `make test` are the README's
# two set-up commands.

.PHONY: assets build demo test

# Front-end vendor bundle (htmx, ECharts): npm ci when node_modules is
# missing or stale, then copy the dist files into
# internal/web/assets/static/vendor/ (git-ignored). The same program runs
# without make: go run ./internal/web/assets/vendorcopy
assets:
	go run ./internal/web/assets/vendorcopy

build: assets
	go build -o bin/gongjian ./cmd/gongjian

# Builds the binary and starts the Guannan demo on an embedded SQLite file.
demo: build
	./bin/gongjian demo

# The whole test suite (installs chromium and CJK fonts when missing).
test:
	./scripts/test.sh

# The two commands of the README. Everything else a fresh machine needs is installed by
# .ci/prerequisites (or it prints the exact command to run).
#
#   make demo   build, fill an empty catalogue with demo records, serve it and print its URL
#   make test   build and run every test (the reference material in ../shared is used when present)
#   make deb    the Debian package (docs/packaging.md)

# One target directory outside the clone, shared by `make demo`, `make test`, CI and your own
# cargo commands: a cold build of RocksDB takes over 20 minutes on 2 cores, so it must happen once.
CARGO_TARGET_DIR ?= $(HOME)/.cache/healthcat-target
export CARGO_TARGET_DIR
HEALTHCAT_REFERENCE_DIR ?= $(abspath $(CURDIR)/../shared/reference)
export HEALTHCAT_REFERENCE_DIR

.PHONY: demo test lint prerequisites deb

prerequisites:
	@bash .ci/prerequisites

demo: prerequisites
	cargo run --bin healthcat -- serve --demo

# The parity tests compare healthcat with pySHACL; .ci/oracle builds its venv (or says why not).
# The Croissant test checks the output with MLCommons' mlcroissant; .ci/croissant builds its venv.
# The metrics test reads /metrics with the Prometheus project's parser; .ci/prometheus builds its venv.
# The browser tests need Chromium, chromedriver and axe-core; .ci/browser installs them (or says
# why not). The single sign-on tests run oidc-provider with Node.js; .ci/oidc installs it.
test: prerequisites
	HEALTHCAT_ORACLE_PYTHON="$$(bash .ci/oracle)" HEALTHCAT_CROISSANT_PYTHON="$$(bash .ci/croissant)" HEALTHCAT_PROMETHEUS_PYTHON="$$(bash .ci/prometheus)" HEALTHCAT_AXE="$$(bash .ci/browser)" HEALTHCAT_OIDC_PROVIDER="$$(bash .ci/oidc)" HEALTHCAT_OXIGRAPH_SERVER="$$(bash .ci/oxigraph-server)" cargo test --workspace

lint: prerequisites
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# The Debian package, from the binary the other targets build (docs/packaging.md).
deb: prerequisites
	@bash .ci/deb

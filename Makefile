# Palisade — build, run and test. `make up` and `make test` work on a fresh machine:
# missing Debian packages are installed first (as root, or with sudo).

SWIFT        ?= swift
DATA_DIR     ?= var
LISTEN       ?= 127.0.0.1:6443
# What the build and the tests need from Debian.
APT_PACKAGES := libsqlite3-dev libssl-dev libsodium-dev libseccomp-dev zlib1g-dev openssl curl busybox-static umoci runc
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build up test test-policies test-swift test-e2e bench clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build --product palisade
	$(SWIFT) build --product kauth
	$(SWIFT) build --product palisade-bench

## Run a local cluster on the embedded SQLite store (data, PKI and kubeconfig under $(DATA_DIR)/),
## with one node agent when run as root.
up: build
	DATA_DIR=$(DATA_DIR) LISTEN=$(LISTEN) bash scripts/up.sh

test: test-policies test-swift test-e2e

test-policies:
	python3 policies/rbac/check.py

test-swift: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

test-e2e: build
	bash Tests/e2e/kubectl.sh
	bash Tests/e2e/python_client.sh
	bash Tests/e2e/restart.sh
	bash Tests/e2e/rbac.sh
	bash Tests/e2e/encryption.sh
	bash Tests/e2e/pod_security.sh
	bash Tests/e2e/limits_quotas.sh
	bash Tests/e2e/audit.sh
	bash Tests/e2e/certificates.sh
	bash Tests/e2e/kauth.sh
	bash Tests/e2e/workloads.sh
	bash Tests/e2e/agent.sh

## Release-mode benchmarks; prints figures and ratios against a baseline measured in the same run.
bench: deps
	$(SWIFT) build -c release --product palisade
	$(SWIFT) build -c release --product palisade-bench
	$(SWIFT) build -c release --product kauth
	bash bench/api.sh
	bash bench/rbac.sh
	bash bench/secrets.sh
	bash bench/admission.sh
	bash bench/audit.sh
	bash bench/sched.sh
	bash bench/runtime.sh

clean:
	rm -rf .build

#!/usr/bin/env bash
# Regenerates Sources/ArbiterGRPC/Generated from the proto copies in proto/. The output is
# committed, so a clean build never runs protoc or its plugins; run this only after changing
# a .proto file or the swift-protobuf / grpc-swift-protobuf versions.
#
#   proto/generate.sh            regenerate from proto/
#   proto/generate.sh --retrim [DIR]   first remake the trimmed Cerbos copies from DIR
#                                (default ../shared/proto; see proto/trim.py)
#
# Needs protoc and the well-known types (Debian: protobuf-compiler libprotobuf-dev). The two
# plugins are built from the package mirror into .build-protoc/ (gitignored; slow the first time).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--retrim" ]; then
    python3 proto/trim.py proto "${2:-../shared/proto}"
fi
command -v protoc >/dev/null || { echo "protoc is missing: apt-get install protobuf-compiler libprotobuf-dev" >&2; exit 1; }

plugins=(--package-path proto/plugins --scratch-path .build-protoc)
swift build "${plugins[@]}" --product protoc-gen-swift
swift build "${plugins[@]}" --product protoc-gen-grpc-swift-2
bin=$(swift build "${plugins[@]}" --show-bin-path)

out=Sources/ArbiterGRPC/Generated
mkdir -p "$out"
rm -f "$out"/*.swift
mapfile -t messages < <(cd proto && find cerbos grpc -name '*.proto' | sort)
services=(cerbos/svc/v1/svc.proto grpc/health/v1/health.proto)
cd proto
protoc -I . -I /usr/include \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
    --swift_out="../$out" --swift_opt=Visibility=Public,FileNaming=PathToUnderscores \
    "${messages[@]}"
protoc -I . -I /usr/include \
    --plugin=protoc-gen-grpc-swift="$bin/protoc-gen-grpc-swift-2" \
    --grpc-swift_out="../$out" --grpc-swift_opt=Visibility=Public,FileNaming=PathToUnderscores,Client=true,Server=true \
    "${services[@]}"
echo "generated: $(ls "../$out" | wc -l) files in $out"

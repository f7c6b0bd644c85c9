#!/usr/bin/env bash
# Times vipsthumbnail on the same 24-megapixel JPEG that ImageResizeBenchmark resizes, then runs the JMH
# benchmark in the same session, and compares the two outputs (PSNR). Results go to docs/benchmarks.md, "## Images".
#
# Needs Debian packages: libvips-tools (vipsthumbnail), hyperfine, imagemagick (compare), time (/usr/bin/time).
#   apt-get update && apt-get install -y libvips-tools hyperfine imagemagick time
# Usage (from the repository root): bash benchmarks/scripts/vipsthumbnail-baseline.sh
# Both sides: single thread (VIPS_CONCURRENCY=1; the JMH worker is the calling thread), fit 1024x1024, JPEG Q80,
# metadata stripped; the JVM side runs with -Xmx64m.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=benchmarks/target/benchmarks.jar
FILE=${FILE:-benchmarks/target/image-bench/photo-6000x4000.jpg}
OUT=benchmarks/target/image-bench
mkdir -p "$OUT"
[ -f "$JAR" ] || ./mvnw -B -q -pl benchmarks -am package -DskipTests
[ -f "$FILE" ] || java -cp "$JAR" io.transflux.operators.image.ImageResizeBenchmark "$FILE"

echo "== machine"
nproc
lscpu | grep 'Model name'
java -version 2>&1 | head -1
vipsthumbnail --vips-version
ls -l "$FILE"

echo "== vipsthumbnail (single thread, shrink-on-load)"
hyperfine -N -w 3 -r 15 --export-json "$OUT/vips.json" \
  "env VIPS_CONCURRENCY=1 vipsthumbnail $FILE --size 1024x1024 -o $PWD/$OUT/vips-1024.jpg[Q=80,strip]"
/usr/bin/time -f "vipsthumbnail peak RSS %M KiB, %e s wall, %U s user" \
  env VIPS_CONCURRENCY=1 vipsthumbnail "$FILE" --size 1024x1024 -o "$PWD/$OUT/vips-1024.jpg[Q=80,strip]"
VIPS_MEAN=$(python3 -c "import json;print(json.load(open('$OUT/vips.json'))['results'][0]['mean'])")
python3 -c "print('vipsthumbnail: %.1f MP/s (mean %.4f s per image, process start included)' % (24/$VIPS_MEAN, $VIPS_MEAN))"

echo "== Transflux ImageResizeBenchmark (JMH, -Xmx64m, -prof gc)"
# JMH_FLAGS="-Djmh.ignoreLock=true" when another engineer's JMH holds /tmp/jmh.lock on a shared machine.
java ${JMH_FLAGS:-} -jar "$JAR" ImageResizeBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc \
  -jvmArgsAppend "-Xmx64m -XX:+UseSerialGC -Djava.awt.headless=true -Dtransflux.image.benchFile=$PWD/$FILE" \
  -rf json -rff "$OUT/jmh.json" | tee "$OUT/jmh.txt" | grep -E 'Benchmark|resizeTo1024|gc.alloc.rate.norm|megapixels'
JMH_OPS=$(python3 -c "import json;print([r for r in json.load(open('$OUT/jmh.json')) if r['benchmark'].endswith('resizeTo1024')][0]['primaryMetric']['score'])")
python3 -c "o=$JMH_OPS; v=24/$VIPS_MEAN; print('Transflux: %.1f MP/s; ratio to vipsthumbnail %.2f' % (o*24, o*24/v))"

echo "== CPU time per image (robust when other processes share the machine)"
VIPS_CPU=$(python3 -c "import json;r=json.load(open('$OUT/vips.json'))['results'][0];print(r['user']+r['system'])")
python3 -c "c=$VIPS_CPU; print('vipsthumbnail: %.1f ms CPU per image (user+sys, process included) = %.1f MP per CPU-second' % (c*1000, 24/c))"
java -Xmx64m -XX:+UseSerialGC -Djava.awt.headless=true -cp "$JAR" io.transflux.operators.image.ImageResizeBenchmark \
  "$FILE" --cpu 20 | tee "$OUT/transflux-cpu.txt" | grep transflux
python3 - "$OUT/transflux-cpu.txt" "$VIPS_CPU" <<'PY'
import re, sys
ms = float(re.search(r'transflux: ([0-9.]+) ms CPU', open(sys.argv[1]).read()).group(1))
print('CPU-time ratio (vipsthumbnail CPU / transflux CPU): %.2f' % (float(sys.argv[2]) * 1000 / ms))
PY

echo "== cold: process to process, one image each (JVM start included)"
hyperfine -N -w 1 -r 5 --export-json "$OUT/cold.json" \
  "env VIPS_CONCURRENCY=1 vipsthumbnail $FILE --size 1024x1024 -o $PWD/$OUT/vips-1024.jpg[Q=80,strip]" \
  "java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true -cp $JAR io.transflux.operators.image.ImageResizeBenchmark $FILE $OUT/cold-1024.jpg"
python3 -c "import json;r=json.load(open('$OUT/cold.json'))['results'];print('cold ratio (vips wall / transflux wall): %.2f; CPU: %.2f' % (r[0]['mean']/r[1]['mean'], (r[0]['user']+r[0]['system'])/(r[1]['user']+r[1]['system'])))"

echo "== output comparison"
java -Xmx64m -cp "$JAR" io.transflux.operators.image.ImageResizeBenchmark "$FILE" "$OUT/transflux-1024.jpg"
/usr/bin/identify "$OUT/vips-1024.jpg" "$OUT/transflux-1024.jpg"
echo -n "PSNR transflux vs vipsthumbnail (dB): "
/usr/bin/compare -metric PSNR "$OUT/transflux-1024.jpg" "$OUT/vips-1024.jpg" null: 2>&1 || true
echo

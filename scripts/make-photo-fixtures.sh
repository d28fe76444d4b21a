#!/usr/bin/env bash
# Regenerates the tiny photos under test/fixtures/photos/ that the media tests read. Run once when a
# fixture must change and commit the result: the tests then need neither exiftool nor this script.
# Needs Node with the project's sharp installed and exiftool (Debian: libimage-exiftool-perl).
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures/photos
mkdir -p "$out"
command -v exiftool >/dev/null || { echo "exiftool is missing (apt-get install libimage-exiftool-perl)" >&2; exit 1; }

# Base pictures drawn with sharp. The orientation one is 64×32 with a red left half and a blue right
# half, so a test can tell which way it was turned once EXIF Orientation 6 (90° clockwise) is applied.
node --input-type=module - "$out" <<'JS'
import sharp from 'sharp';
const dir = process.argv[2];
const solid = (w, h, rgb) => sharp({ create: { width: w, height: h, channels: 3, background: rgb } });
await solid(64, 48, { r: 90, g: 140, b: 60 }).jpeg({ quality: 80 }).toFile(`${dir}/gps-tours.jpg`);
await solid(64, 48, { r: 200, g: 180, b: 40 }).jpeg({ quality: 80 }).toFile(`${dir}/gps-south-west.jpg`);
await solid(64, 48, { r: 120, g: 120, b: 120 }).jpeg({ quality: 80 }).toFile(`${dir}/gps-null-island.jpg`);
const half = await solid(32, 32, { r: 255, g: 0, b: 0 }).png().toBuffer();
await solid(64, 32, { r: 0, g: 0, b: 255 })
  .composite([{ input: half, left: 0, top: 0 }])
  .jpeg({ quality: 90 })
  .toFile(`${dir}/orientation-6.jpg`);
JS

# What a phone writes and a resident does not mean to publish: where, with what device, by whom.
exif=(-overwrite_original -q)
exiftool "${exif[@]}" \
  -GPSLatitude=47.3941 -GPSLatitudeRef=N -GPSLongitude=0.6848 -GPSLongitudeRef=E \
  -Make=Fairphone -Model='Fairphone 5' -SerialNumber=FP5-0123456789 -Artist='Jeanne Resident' \
  -XMP:Creator='Jeanne Resident' -XMP:GPSLatitude='47.3941 N' -XMP:GPSLongitude='0.6848 E' \
  -IPTC:By-line='Jeanne Resident' \
  "$out/gps-tours.jpg"
exiftool "${exif[@]}" \
  -GPSLatitude=22.9068 -GPSLatitudeRef=S -GPSLongitude=43.1729 -GPSLongitudeRef=W \
  -Make=Apple -Model='iPhone 15' \
  "$out/gps-south-west.jpg"
# A phone without a fix writes zeros; 0,0 is in the Gulf of Guinea, not where the pothole is.
exiftool "${exif[@]}" \
  -GPSLatitude=0 -GPSLatitudeRef=N -GPSLongitude=0 -GPSLongitudeRef=E \
  "$out/gps-null-island.jpg"
exiftool "${exif[@]}" -Orientation#=6 -Make=Fairphone "$out/orientation-6.jpg"

ls -l "$out"

#!/bin/sh
# update-pot.sh — regenerate po/rdpmend.pot from the files in po/POTFILES and merge it
# into every language of po/LINGUAS. Run from anywhere: sh po/update-pot.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
files=$(mktemp)
trap 'rm -f "$files"' EXIT
# Files of modules not merged yet are listed ahead of time; skip the absent ones.
grep -v '^#' po/POTFILES | sed '/^$/d' | while read -r f; do
  if [ -f "$f" ]; then echo "$f"; else echo "update-pot: skipping absent $f" >&2; fi
done > "$files"
xgettext --from-code=UTF-8 --add-comments=TRANSLATORS --sort-by-file \
  -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -kg_dngettext:2,3 -kngettext:1,2 \
  --package-name=rdpmend --msgid-bugs-address=https://github.com/rdpmend/rdpmend/issues \
  -f "$files" -o po/rdpmend.pot
for lang in $(sed -e 's/#.*//' po/LINGUAS); do
  msgmerge --quiet --update --backup=none --no-fuzzy-matching "po/$lang.po" po/rdpmend.pot
done

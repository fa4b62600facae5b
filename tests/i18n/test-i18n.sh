#!/bin/sh
# test-i18n.sh — the translations are complete and valid: POTFILES covers every source
# and template with translatable strings, every language passes msgfmt --check, and no
# message of a fresh template is untranslated or fuzzy in any language of LINGUAS.
set -u
top=${1:?usage: test-i18n.sh SOURCE_DIR [BUILD_DIR]}
build=${2:-}
for tool in xgettext msgmerge msgfmt msgattrib; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not found (package gettext)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1
status=0

# 1. Coverage: a file with _() / N_() / ngettext or translatable="yes" must be listed.
{
  grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext) ?\(' --include='*.c' src
  grep -l 'translatable="yes"' ui/*.ui
} | sort -u > "$tmp/needed"
grep -v '^#' po/POTFILES | sed '/^$/d' | sort -u > "$tmp/listed"
missing=$(comm -23 "$tmp/needed" "$tmp/listed")
if [ -n "$missing" ]; then
  echo "FAIL: files with translatable strings missing from po/POTFILES:"
  echo "$missing" | sed 's/^/  /'
  status=1
fi
while read -r f; do [ -f "$f" ] && echo "$f"; done < "$tmp/listed" > "$tmp/files"

# 2. A fresh template from the sources as they are now.
if ! xgettext --from-code=UTF-8 -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -kg_dngettext:2,3 -kngettext:1,2 \
     -f "$tmp/files" -o "$tmp/rdpmend.pot"; then
  echo "FAIL: xgettext could not read the sources"
  exit 1
fi
total=$(grep -c '^msgid ' "$tmp/rdpmend.pot")
echo "template: $((total - 1)) messages from $(wc -l < "$tmp/files") files"

# 3. Every language: valid, and complete against the fresh template.
for lang in $(sed -e 's/#.*//' po/LINGUAS); do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then echo "FAIL: $po missing"; status=1; continue; fi
  if ! msgfmt --check --check-format -o /dev/null "$po"; then
    echo "FAIL: msgfmt --check rejects $po"; status=1; continue
  fi
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/rdpmend.pot"
  msgattrib --untranslated --no-obsolete "$tmp/$lang.po" -o "$tmp/$lang.untranslated"
  msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" -o "$tmp/$lang.fuzzy"
  # msgattrib writes no file when nothing matches.
  untranslated=0
  fuzzy=0
  [ -f "$tmp/$lang.untranslated" ] && untranslated=$(grep -c '^msgid ' "$tmp/$lang.untranslated")
  [ -f "$tmp/$lang.fuzzy" ] && fuzzy=$(grep -c '^msgid ' "$tmp/$lang.fuzzy")
  # msgattrib keeps the header entry; it is not a message.
  [ "${untranslated:-0}" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "${fuzzy:-0}" -gt 0 ] && fuzzy=$((fuzzy - 1))
  echo "$lang: $untranslated untranslated, $fuzzy fuzzy"
  if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    echo "FAIL: $lang is incomplete; first missing messages:"
    cat "$tmp/$lang.untranslated" "$tmp/$lang.fuzzy" 2>/dev/null | grep '^msgid ' | grep -v '^msgid ""$' | head -20
    status=1
  fi
done
# 4. The compiled catalogues are really used: the CLI speaks German and Spanish.
cli="$build/src/cli/rdpmend-cli"
if [ -n "$build" ] && [ -x "$cli" ] && [ -d "$build/locale" ]; then
  for pair in "de:Die Netzwerkverbindung wurde" "es:cerró la conexión de red"; do
    lang=${pair%%:*}
    want=${pair#*:}
    got=$(RDPMEND_LOCALEDIR="$build/locale" LC_ALL=C.UTF-8 LANGUAGE=$lang "$cli" explain 0x904 2>&1)
    if echo "$got" | grep -q "$want"; then
      echo "$lang: rdpmend-cli explain is translated"
    else
      echo "FAIL: rdpmend-cli explain in $lang does not contain “$want”:"
      echo "$got" | head -3
      status=1
    fi
  done
fi
[ $status -eq 0 ] && echo "PASS: translations complete"
exit $status

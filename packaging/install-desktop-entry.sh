#!/bin/sh
# Puts InterviewKit in your desktop's application menu, for you alone (no root, nothing outside your home):
# the desktop entry, its icons and its AppStream metadata go under ${XDG_DATA_HOME:-~/.local/share}, and the
# entry starts the interviewkit beside this script. Run it again after moving the folder.
#
#   ./install-desktop-entry.sh              add (or update) the entry
#   ./install-desktop-entry.sh --uninstall  remove it again (the app folder and your database stay)
set -eu

id=org.interviewkit.InterviewKit
here=$(cd "$(dirname "$0")" && pwd -P)
data=${XDG_DATA_HOME:-$HOME/.local/share}

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
}

case "${1:-}" in
    --uninstall)
        rm -f "$data/applications/$id.desktop" "$data/metainfo/$id.metainfo.xml"
        rm -f "$data"/icons/hicolor/*/apps/"$id".png "$data/icons/hicolor/scalable/apps/$id.svg"
        refresh
        echo "Removed InterviewKit from the application menu."
        exit 0
        ;;
    "") ;;
    *)
        echo "install-desktop-entry.sh: error: unknown option '$1' (use --uninstall or nothing)" >&2
        exit 2
        ;;
esac

# The desktop entry quotes the path; these characters would need escapes that desktops read differently.
case "$here" in
    *'"'* | *'`'* | *'$'* | *'\'* | *'%'*)
        echo "install-desktop-entry.sh: error: the folder $here has a \", \`, \$, \\ or % in its path:" \
             "move InterviewKit to a folder without them" >&2
        exit 2
        ;;
esac
if [ ! -x "$here/interviewkit" ]; then
    echo "install-desktop-entry.sh: error: $here/interviewkit is missing: run this script from the unpacked app" >&2
    exit 2
fi

for icon in "$here"/share/icons/hicolor/*/apps/*; do
    size=$(basename "$(dirname "$(dirname "$icon")")")
    mkdir -p "$data/icons/hicolor/$size/apps"
    cp "$icon" "$data/icons/hicolor/$size/apps/"
done
mkdir -p "$data/metainfo" "$data/applications"
cp "$here/share/metainfo/$id.metainfo.xml" "$data/metainfo/"
entry="$data/applications/$id.desktop"
while IFS= read -r line; do
    case "$line" in
        Exec=*) printf 'Exec="%s/interviewkit"\n' "$here" ;;
        TryExec=*) printf 'TryExec=%s/interviewkit\n' "$here" ;;
        *) printf '%s\n' "$line" ;;
    esac
done <"$here/share/applications/$id.desktop" >"$entry.part"
mv "$entry.part" "$entry"
refresh
echo "InterviewKit is in the application menu (Office). Entry: $entry"

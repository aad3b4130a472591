#!/bin/bash
# mono.sh - without colour and without UTF-8 (SPEC 6, STYLE 3.5): with
# NO_COLOR=1 and with TERM=vt100 no SGR sequence sets a colour on any pane
# (capture-pane -e), the selection still shows (reverse video), the heat map
# shades with glyphs, t cycles themes without bringing colour back, and the
# keys work; with LC_ALL=C the screen is pure ASCII: bars of '#', ASCII
# shades in the heat map, '?' for the letters of names it cannot show.
. "$(dirname "$0")/lib.sh"

db=$T/shop.db
make_demo "$db" 1500

# colours FILE: the SGR parameters in FILE that set a colour (foreground or
# background, 8/16/256/direct); 39 and 49 (the defaults) are no colour.
colours() {
    grep -ao $'\e\\[[0-9;]*m' "$1" | tr -d '\033[m' | tr ';' '\n' |
        awk '($1 >= 30 && $1 <= 38) || ($1 >= 40 && $1 <= 48) ||
             ($1 >= 90 && $1 <= 97) || ($1 >= 100 && $1 <= 107)' | sort -u | tr '\n' ' '
}

# no_colour WHAT: the screen now has no colour
no_colour() {
    local f=$T/sgr.txt c
    screen_e >"$f"
    c=$(colours "$f")
    if [ -z "$c" ]; then
        ok "$1: no colour"
    else
        fail "$1: colour SGR parameters $c"
    fi
}

# reverse_on TEXT WHAT: the line holding TEXT is drawn in reverse video
reverse_on() {
    if screen_e | grep -aF -- "$1" | grep -aqE $'\e\\[([0-9;]*;)?7[;m]'; then
        ok "$2"
    else
        fail "$2: no reverse video on the line of '$1'"
    fi
}

# all_ascii WHAT: not one byte above 0x7f on the screen
all_ascii() {
    if screen | LC_ALL=C grep -aq $'[\x80-\xff]'; then
        fail "$1: non-ASCII text on the screen: $(screen | LC_ALL=C grep -a $'[\x80-\xff]' | head -n 3)"
    else
        ok "$1: ASCII only"
    fi
}

first_key=$(ct report customers --db "$db" --format csv --limit 1 | sed -n '2s/,.*//p')

for mode in NO_COLOR=1 TERM=vt100; do
    tty_start "$mode" -- --db "$db"
    expect_has "Funnel: stages" "$mode: the funnel pane"
    no_colour "$mode: funnel"
    keys 2
    expect_has "Cohorts by month" "$mode: the cohort pane"
    no_colour "$mode: cohorts"
    if screen | grep -qE '[░▒▓█] +[0-9]'; then
        ok "$mode: the heat map shades cells with glyphs"
    else
        fail "$mode: no shading glyphs in the heat map"
    fi
    keys Right
    expect_has "+1: " "$mode: Right moves the cell cursor"
    keys 3
    expect_has "sorted by net spend" "$mode: the customers pane"
    no_colour "$mode: customers"
    reverse_on "$first_key" "$mode: the selected row is in reverse video"
    keys Down Enter
    expect_has "Timeline " "$mode: Down, Enter opens a customer"
    no_colour "$mode: customer detail"
    keys Escape
    wait_gone "Timeline " 5
    for theme in light high-contrast mono dark; do
        keys t
        expect_has "theme: $theme" "$mode: t switches to $theme"
        no_colour "$mode: theme $theme"
    done
    tty_quit
done

tty_start LC_ALL=C -- --db "$db"
expect_has "Funnel: stages" "LC_ALL=C: the funnel pane"
if screen | grep -qE '^ +Reach +#{10,} '; then
    ok "LC_ALL=C: bars are drawn with '#'"
else
    fail "LC_ALL=C: no '#' bar on the Reach step"
fi
all_ascii "LC_ALL=C: funnel"
keys 2
expect_has "Cohorts by month" "LC_ALL=C: the cohort pane"
all_ascii "LC_ALL=C: cohorts"
keys 3
expect_has "sorted by net spend" "LC_ALL=C: the customers pane"
all_ascii "LC_ALL=C: customers"
# a name with letters outside ASCII: one '?' each, the columns in place
ct report customers --db "$db" --format csv --limit 0 >"$T/customers.csv"
who=$(LC_ALL=C grep -a -m 1 $'^[^,]*,[^,]*,[A-Za-z ]*[\xc3][\x80-\xbf][a-z]*[ ,]' "$T/customers.csv" |
    cut -d, -f1)
if [ -n "$who" ]; then
    keys /
    type_text "$who"
    expect_has "1 shown" "LC_ALL=C: search finds $who"
    name=$(grep -a "^$who," "$T/customers.csv" | cut -d, -f3)
    shown=$(LC_ALL=C.UTF-8 sed 's/[^ -~]/?/g' <<<"$name")
    expect_has " $who    $shown" "LC_ALL=C: '$name' shows as '$shown'"
    all_ascii "LC_ALL=C: a name with accents"
    keys Escape
else
    fail "no customer with an accented name in the demo shop"
fi
tty_quit

tty_start LC_ALL=C NO_COLOR=1 -- --db "$db"
expect_has "Funnel: stages" "LC_ALL=C NO_COLOR=1: the funnel pane"
keys 2
expect_has "Cohorts by month" "LC_ALL=C NO_COLOR=1: the cohort pane"
if screen | grep -qE '^ [0-9]{4}-[0-9]{2} .*[.:=#] +[0-9]+'; then
    ok "LC_ALL=C NO_COLOR=1: the heat map shades with ASCII glyphs"
else
    fail "LC_ALL=C NO_COLOR=1: no ASCII shading in the heat map"
fi
all_ascii "LC_ALL=C NO_COLOR=1: cohorts"
no_colour "LC_ALL=C NO_COLOR=1: cohorts"
tty_quit
finish

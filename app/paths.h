/*
 * paths.h - where the database, the config and the shipped data files are.
 */
#ifndef CT_PATHS_H
#define CT_PATHS_H

/* --db FLAG, else $CONVTOP_DB, else $XDG_DATA_HOME/convtop/shop.db
 * ($XDG_DATA_HOME defaults to ~/.local/share).  Caller frees. */
char *paths_db(const char *flag);

/* The demo shop: $XDG_DATA_HOME/convtop/demo.db.  Caller frees. */
/* The demo shop: demo.db, or demo-live.db for the live demo (its history
 * ends the day before it was made). */
char *paths_demo_db(int live);

/* Config discovery of SPEC 4: --config FLAG, $CONVTOP_CONFIG,
 * $XDG_CONFIG_HOME/convtop/convtop.yaml (default ~/.config), then the
 * built-in default.  Caller frees; NULL when not even the built-in exists. */
char *paths_config(const char *flag);

/* Where the snapshot of the database db lives: beside it (db + ".snap")
 * when its folder is writable and read_only is not set, else in
 * $XDG_CACHE_HOME/convtop (default ~/.cache), folder mode 0700.  NULL when
 * neither can be used (then no snapshot is kept).  Caller frees. */
char *paths_snapshot(const char *db, int read_only);

/* A file shipped with convtop (e.g. "convtop.yaml", "themes/dark.yaml"):
 * $CONVTOP_DATADIR, the installed package data directory, then the source
 * tree (running uninstalled).  Caller frees; NULL when missing. */
char *paths_data_file(const char *rel);

#endif

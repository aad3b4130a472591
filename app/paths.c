/*
 * paths.c - file discovery: flags, environment, XDG folders, built-ins.
 */
#include "autoconf.h"

#include <errno.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/paths.h"
#include "model/mem.h"

static char *xdg_dir(const char *var, const char *fallback)
{
    const char *v = getenv(var);
    if (v && v[0] == '/')
        return xstrdup(v);
    const char *home = getenv("HOME");
    return xasprintf("%s/%s", home && *home ? home : ".", fallback);
}

char *paths_db(const char *flag)
{
    if (flag && *flag)
        return xstrdup(flag);
    const char *env = getenv("CONVTOP_DB");
    if (env && *env)
        return xstrdup(env);
    char *dir = xdg_dir("XDG_DATA_HOME", ".local/share");
    char *p = xasprintf("%s/convtop/shop.db", dir);
    free(dir);
    return p;
}

char *paths_demo_db(int live)
{
    char *dir = xdg_dir("XDG_DATA_HOME", ".local/share");
    char *p = xasprintf("%s/convtop/%s", dir, live ? "demo-live.db" : "demo.db");
    free(dir);
    return p;
}

char *paths_snapshot(const char *db, int read_only)
{
    char *copy = xstrdup(db);
    const char *dir = dirname(copy);
    int beside = !read_only && access(dir, W_OK) == 0;
    free(copy);
    if (beside)
        return xasprintf("%s.snap", db);
    /* the cache folder, named after the database's absolute path */
    char *abs = realpath(db, NULL);
    const char *name = abs ? abs : db;
    uint64_t h = UINT64_C(1469598103934665603);
    for (const char *c = name; *c; c++)
        h = (h ^ (unsigned char)*c) * UINT64_C(1099511628211);
    char *base_copy = xstrdup(name);
    char *cache = xdg_dir("XDG_CACHE_HOME", ".cache");
    char *folder = xasprintf("%s/convtop", cache);
    char *path = NULL;
    if ((mkdir(cache, 0700) == 0 || errno == EEXIST) &&
        (mkdir(folder, 0700) == 0 || errno == EEXIST) && access(folder, W_OK) == 0)
        path = xasprintf("%s/%s-%016llx.snap", folder, basename(base_copy),
                         (unsigned long long)h);
    free(base_copy);
    free(abs);
    free(cache);
    free(folder);
    return path;
}

char *paths_data_file(const char *rel)
{
    const char *env = getenv("CONVTOP_DATADIR");
    /* the source tree has the installed layout, so running uninstalled works */
    const char *dirs[3] = {env && *env ? env : NULL, CONVTOP_PKGDATADIR, CONVTOP_SRCDATADIR};
    for (int i = 0; i < 3; i++) {
        if (!dirs[i])
            continue;
        char *p = xasprintf("%s/%s", dirs[i], rel);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    return NULL;
}

char *paths_config(const char *flag)
{
    if (flag && *flag)
        return xstrdup(flag);
    const char *env = getenv("CONVTOP_CONFIG");
    if (env && *env)
        return xstrdup(env);
    char *dir = xdg_dir("XDG_CONFIG_HOME", ".config");
    char *p = xasprintf("%s/convtop/convtop.yaml", dir);
    free(dir);
    if (access(p, F_OK) == 0)
        return p;
    free(p);
    return paths_data_file("convtop.yaml");
}

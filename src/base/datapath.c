/* datapath.c: where haicang's run-time files (data/, web/) are, found from
 * the running binary so that the working directory never matters. The
 * contract is in base.h (hc_data_path). */
#include "base.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deepest a binary sits below its build directory (build/tests/unit/customs/test_x
 * is 3 folders down); a bound on the walk up, not a guess at the layout. */
#define MAX_BUILD_DEPTH 8

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Cuts the last component of path in place ("/a/b" -> "/a", "/a" -> "/"). */
static void parent(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash == NULL)
        return;
    if (slash == path)
        slash[1] = '\0';
    else
        *slash = '\0';
}

/* The directory of the running binary, symlinks resolved. */
static int exe_dir(char *out, size_t size)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    parent(buf);
    if (hc_strlcpy(out, buf, size) >= size)
        return -1;
    return 0;
}

/* out = dir/name; false when it does not fit. */
static bool join(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s%s%s", dir, *name ? "/" : "", name);
    return n >= 0 && (size_t)n < size;
}

/* The source tree around a build directory that holds the binary: walking up
 * from dir, the first directory with meson-private/ is the build directory;
 * its parent is the source tree if it has meson.build. */
static bool source_tree(const char *dir, char *out, size_t size)
{
    char d[PATH_MAX], probe[PATH_MAX + 32];
    hc_strlcpy(d, dir, sizeof(d));
    for (int i = 0; i <= MAX_BUILD_DEPTH && strcmp(d, "/") != 0; i++, parent(d)) {
        snprintf(probe, sizeof(probe), "%s/meson-private", d);
        if (!exists(probe))
            continue;
        parent(d);
        snprintf(probe, sizeof(probe), "%s/meson.build", d);
        if (!exists(probe))
            return false;
        return hc_strlcpy(out, d, size) < size;
    }
    return false;
}

int hc_data_path(const char *name, char *buf, size_t size)
{
    char dir[PATH_MAX], root[PATH_MAX], installed[PATH_MAX + 64];
    const char *var = NULL, *rest = NULL;
    if (strncmp(name, "data", 4) == 0 && (name[4] == '\0' || name[4] == '/'))
        var = "HAICANG_DATA", rest = name + 4;
    else if (strncmp(name, "web", 3) == 0 && (name[3] == '\0' || name[3] == '/'))
        var = "HAICANG_WEB", rest = name + 3;
    const char *env = var ? getenv(var) : NULL;
    if (env && *env) {
        int n = snprintf(buf, size, "%s%s", env, rest);
        if (n < 0 || (size_t)n >= size)
            return HC_ETOOBIG;
        return exists(buf) ? HC_OK : HC_ENOTFOUND;
    }
    installed[0] = '\0';
    if (exe_dir(dir, sizeof(dir)) == 0) {
        /* 1. installed: PREFIX/bin/haicang -> PREFIX/share/haicang/NAME */
        char share[PATH_MAX];
        hc_strlcpy(share, dir, sizeof(share));
        parent(share);
        if (snprintf(installed, sizeof(installed), "%s%sshare/haicang/%s", share,
                     strcmp(share, "/") == 0 ? "" : "/", name) >= (int)sizeof(installed))
            installed[0] = '\0';
        if (installed[0] && exists(installed))
            return hc_strlcpy(buf, installed, size) < size ? HC_OK : HC_ETOOBIG;
        /* 2. build tree: SOURCE/BUILD/src/cli/haicang -> SOURCE/NAME */
        if (source_tree(dir, root, sizeof(root)) && join(buf, size, root, name) && exists(buf))
            return HC_OK;
    }
#ifdef HC_INSTALL_DATADIR
    /* 3. the configured install location, for a bindir that is not PREFIX/bin */
    if (join(buf, size, HC_INSTALL_DATADIR, name) && exists(buf))
        return HC_OK;
#endif
    hc_strlcpy(buf, installed[0] ? installed : name, size);
    return HC_ENOTFOUND;
}

/*
 * A real program built with a standard WASI libc (wasi-libc): lists a
 * directory, reads, writes, appends, seeks, renames and deletes files.
 * It prints only names relative to the directory it is given, so its output
 * is the same on the host and on interp; see build.sh and the `fileops`
 * test in ../../tests/programs.rs.
 *
 * usage: fileops DIR
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static const char *path(const char *name) {
    static char buf[2][4096];
    static int which;
    which ^= 1;
    snprintf(buf[which], sizeof buf[which], "%s/%s", dir, name);
    return buf[which];
}

static const char *errname(int e) {
    switch (e) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EISDIR: return "EISDIR";
    case ENOTDIR: return "ENOTDIR";
    default: return "other";
    }
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the entries of DIR/sub (sorted: directory order is up to the file system). */
static void list(const char *sub, int depth) {
    DIR *d = opendir(*sub ? path(sub) : dir);
    if (!d) {
        printf("opendir %s: %s\n", sub, errname(errno));
        return;
    }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (int i = 0; i < n; i++) {
        char rel[1024];
        snprintf(rel, sizeof rel, "%s%s%s", sub, *sub ? "/" : "", names[i]);
        struct stat st;
        if (stat(path(rel), &st) != 0) {
            printf("%*sstat %s: %s\n", depth * 2, "", rel, errname(errno));
        } else if (S_ISDIR(st.st_mode)) {
            printf("%*s%s/\n", depth * 2, "", names[i]);
            list(rel, depth + 1);
        } else {
            printf("%*s%s (%lld bytes)\n", depth * 2, "", names[i], (long long)st.st_size);
        }
        free(names[i]);
    }
}

static void cat(const char *name) {
    FILE *f = fopen(path(name), "r");
    if (!f) {
        printf("open %s: %s\n", name, errname(errno));
        return;
    }
    char line[256];
    while (fgets(line, sizeof line, f))
        printf("  | %s", line);
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: fileops DIR\n");
        return 2;
    }
    dir = argv[1];

    printf("== initial listing\n");
    list("", 0);

    printf("== read input.txt\n");
    cat("input.txt");

    printf("== write notes.txt\n");
    FILE *f = fopen(path("notes.txt"), "w");
    for (int i = 1; i <= 3; i++)
        fprintf(f, "note %d: %s\n", i, i == 2 ? "héllo wörld" : "plain");
    fclose(f);
    cat("notes.txt");

    printf("== append and seek\n");
    int fd = open(path("notes.txt"), O_WRONLY | O_APPEND);
    write(fd, "appended\n", 9);
    printf("size after append: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    close(fd);
    fd = open(path("notes.txt"), O_RDONLY);
    char word[9] = {0};
    lseek(fd, -9, SEEK_END);
    read(fd, word, 8);
    printf("last word: %s\n", word);
    printf("bytes left: %zd\n", read(fd, word, 8));
    printf("read at EOF: %zd\n", read(fd, word, 8));
    close(fd);

    printf("== rename notes.txt -> renamed.txt\n");
    if (rename(path("notes.txt"), path("renamed.txt")) != 0)
        printf("rename: %s\n", errname(errno));
    cat("notes.txt");
    cat("renamed.txt");

    printf("== make sub/ and sub/deeper.txt\n");
    mkdir(path("sub"), 0755);
    if (mkdir(path("sub"), 0755) != 0)
        printf("mkdir again: %s\n", errname(errno));
    f = fopen(path("sub/deeper.txt"), "w");
    fputs("deep\n", f);
    fclose(f);
    list("", 0);

    printf("== delete\n");
    if (rmdir(path("sub")) != 0)
        printf("rmdir sub: %s\n", errname(errno));
    unlink(path("sub/deeper.txt"));
    if (rmdir(path("sub")) == 0)
        printf("rmdir sub: ok\n");
    if (unlink(path("renamed.txt")) == 0)
        printf("unlink renamed.txt: ok\n");
    if (unlink(path("renamed.txt")) != 0)
        printf("unlink renamed.txt again: %s\n", errname(errno));

    printf("== final listing\n");
    list("", 0);
    return 0;
}

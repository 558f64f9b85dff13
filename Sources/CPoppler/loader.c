#include "CPoppler.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct annals_poppler_table annals_poppler;

/* Each library by its soname (what the runtime package installs), then by
   the development symlink. */
static const char *const GLIB[] = {"libglib-2.0.so.0", "libglib-2.0.so", NULL};
static const char *const GOBJECT[] = {"libgobject-2.0.so.0", "libgobject-2.0.so", NULL};
static const char *const POPPLER[] = {"libpoppler-glib.so.8", "libpoppler-glib.so", NULL};
static const char *const CAIRO[] = {"libcairo.so.2", "libcairo.so", NULL};

struct handles { void *glib, *gobject, *poppler, *cairo; };

static char error_text[512] = "not loaded yet";

static void *open_library(const char *const *names) {
    for (const char *const *name = names; *name; name++) {
        void *handle = dlopen(*name, RTLD_LAZY | RTLD_LOCAL);
        if (handle) return handle;
    }
    const char *reason = dlerror();
    snprintf(error_text, sizeof error_text, "%s cannot be opened: %s", names[0], reason ? reason : "not found");
    return NULL;
}

#define ANNALS_HANDLE(library) \
    (library == GLIB ? h->glib : library == GOBJECT ? h->gobject : library == POPPLER ? h->poppler : h->cairo)
#define ANNALS_SYMBOL(library, name)                                                \
    if (!(*(void **)&annals_poppler.name = dlsym(ANNALS_HANDLE(library), #name))) { \
        snprintf(error_text, sizeof error_text, "%s has no %s", library[0], #name); \
        return 0;                                                                   \
    }
#define ANNALS_LOAD(library, type, name, parameters, arguments) ANNALS_SYMBOL(library, name)
#define ANNALS_LOAD_VOID(library, name, parameters, arguments) ANNALS_SYMBOL(library, name)

static int glib_symbols(const struct handles *h) {
    ANNALS_GLIB_FUNCTIONS(ANNALS_LOAD, ANNALS_LOAD_VOID)
    return 1;
}

static int poppler_symbols(const struct handles *h) {
    ANNALS_POPPLER_FUNCTIONS(ANNALS_LOAD, ANNALS_LOAD_VOID)
    return 1;
}

static int glib_ready, poppler_ready;
static pthread_once_t glib_once = PTHREAD_ONCE_INIT, poppler_once = PTHREAD_ONCE_INIT;

static void load_glib(void) {
    struct handles h = {.glib = open_library(GLIB)};
    glib_ready = h.glib && glib_symbols(&h);
}

static void load_poppler(void) {
    if (!annals_load_glib()) return;
    /* ANNALS_POPPLER_GLIB names another build of libpoppler-glib (a newer
       poppler under /opt, say); it is then the only one tried. */
    const char *chosen = getenv("ANNALS_POPPLER_GLIB");
    const char *const given[] = {chosen, NULL};
    /* GLib's own functions came with annals_load_glib; poppler-glib needs
       the others itself, so they are found, not loaded twice. */
    struct handles h = {0};
    if (!(h.gobject = open_library(GOBJECT)) || !(h.poppler = open_library(chosen && *chosen ? given : POPPLER)) ||
        !(h.cairo = open_library(CAIRO)))
        return;
    poppler_ready = poppler_symbols(&h);
}

int annals_load_glib(void) {
    pthread_once(&glib_once, load_glib);
    return glib_ready;
}

int annals_load_poppler(void) {
    pthread_once(&poppler_once, load_poppler);
    return poppler_ready;
}

const char *annals_load_error(void) { return error_text; }

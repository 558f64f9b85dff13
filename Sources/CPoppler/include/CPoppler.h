/* GLib, poppler-glib and cairo, opened when first needed instead of linked.
   Linking them made every annals process map some fifty libraries and bind
   their symbols before main (about 7 ms here), though only the processes
   that read or render a PDF use them: a batch's own process, `series` and
   `--help` never do. The functions keep their names: each is a static
   inline wrapper calling through a table that the loader fills. */
#ifndef ANNALS_CPOPPLER_H
#define ANNALS_CPOPPLER_H

#include "annals_poppler_types.h"
#include "annals_poppler_functions.h"

struct annals_poppler_table {
#define ANNALS_FIELD(library, type, name, parameters, arguments) type (*name) parameters;
#define ANNALS_VOID_FIELD(library, name, parameters, arguments) void (*name) parameters;
    ANNALS_GLIB_FUNCTIONS(ANNALS_FIELD, ANNALS_VOID_FIELD)
    ANNALS_POPPLER_FUNCTIONS(ANNALS_FIELD, ANNALS_VOID_FIELD)
#undef ANNALS_FIELD
#undef ANNALS_VOID_FIELD
};

/* Filled by the loaders below; read only after one of them returned 1. */
extern struct annals_poppler_table annals_poppler;

/* Opens GLib: 1 when its functions are ready, else 0 (see annals_load_error). */
int annals_load_glib(void);
/* Opens GLib, GObject, poppler-glib and cairo: 1 when ready, else 0. */
int annals_load_poppler(void);
/* What the last failed load could not find, for the error message. */
const char *annals_load_error(void);

#define ANNALS_WRAPPER(library, type, name, parameters, arguments) \
    static inline type name parameters { return annals_poppler.name arguments; }
#define ANNALS_VOID_WRAPPER(library, name, parameters, arguments) \
    static inline void name parameters { annals_poppler.name arguments; }
ANNALS_GLIB_FUNCTIONS(ANNALS_WRAPPER, ANNALS_VOID_WRAPPER)
ANNALS_POPPLER_FUNCTIONS(ANNALS_WRAPPER, ANNALS_VOID_WRAPPER)
#undef ANNALS_WRAPPER
#undef ANNALS_VOID_WRAPPER

/* Walking a GList from Swift needs the element's type: these give it. */
static inline PopplerTextAttributes *annals_text_attributes_at(GList *node) {
    return (PopplerTextAttributes *)node->data;
}
static inline PopplerImageMapping *annals_image_mapping_at(GList *node) {
    return (PopplerImageMapping *)node->data;
}

#endif

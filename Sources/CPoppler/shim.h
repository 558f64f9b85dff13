#ifndef ANNALS_CPOPPLER_SHIM_H
#define ANNALS_CPOPPLER_SHIM_H

#include <poppler.h>
#include <cairo.h>
#include <glib.h>

/* GError's domain is a macro-made quark; Swift cannot call the macro. */
static inline GQuark annals_poppler_error_quark(void) { return POPPLER_ERROR; }

/* Text attributes come as a GList of PopplerTextAttributes; walking it from Swift
   needs the element's type, which a static inline accessor gives without casts. */
static inline PopplerTextAttributes *annals_text_attributes_at(GList *node) {
    return (PopplerTextAttributes *)node->data;
}

/* Likewise for image mappings. */
static inline PopplerImageMapping *annals_image_mapping_at(GList *node) {
    return (PopplerImageMapping *)node->data;
}

#endif

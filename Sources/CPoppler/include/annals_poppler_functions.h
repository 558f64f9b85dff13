/* Every function annals calls in GLib, GObject, poppler-glib and cairo, once:
   F(library, return type, name, parameters, arguments) for functions that
   return a value, V(…) for those that return nothing. CPoppler.h makes a
   table of pointers and a wrapper of the same name from it; the loader fills
   the table; the ABI test holds each entry to the library's own header. */
#ifndef ANNALS_POPPLER_FUNCTIONS_H
#define ANNALS_POPPLER_FUNCTIONS_H

#define ANNALS_GLIB_FUNCTIONS(F, V) \
    V(GLIB, g_free, (void *memory), (memory)) \
    V(GLIB, g_error_free, (GError *error), (error)) \
    F(GLIB, gchar *, g_filename_to_uri, (const gchar *filename, const gchar *hostname, GError **error), (filename, hostname, error)) \
    F(GLIB, GChecksum *, g_checksum_new, (GChecksumType type), (type)) \
    V(GLIB, g_checksum_update, (GChecksum *checksum, const guchar *data, gssize length), (checksum, data, length)) \
    F(GLIB, const gchar *, g_checksum_get_string, (GChecksum *checksum), (checksum)) \
    V(GLIB, g_checksum_free, (GChecksum *checksum), (checksum))

#define ANNALS_POPPLER_FUNCTIONS(F, V) \
    V(GOBJECT, g_object_unref, (void *object), (object)) \
    F(POPPLER, GQuark, poppler_error_quark, (void), ()) \
    F(POPPLER, PopplerDocument *, poppler_document_new_from_file, (const char *uri, const char *password, GError **error), (uri, password, error)) \
    F(POPPLER, int, poppler_document_get_n_pages, (PopplerDocument *document), (document)) \
    F(POPPLER, PopplerPage *, poppler_document_get_page, (PopplerDocument *document, int index), (document, index)) \
    V(POPPLER, poppler_page_get_size, (PopplerPage *page, double *width, double *height), (page, width, height)) \
    V(POPPLER, poppler_page_get_crop_box, (PopplerPage *page, PopplerRectangle *rect), (page, rect)) \
    F(POPPLER, char *, poppler_page_get_text, (PopplerPage *page), (page)) \
    F(POPPLER, gboolean, poppler_page_get_text_layout, (PopplerPage *page, PopplerRectangle **rectangles, guint *n_rectangles), (page, rectangles, n_rectangles)) \
    F(POPPLER, GList *, poppler_page_get_text_attributes, (PopplerPage *page), (page)) \
    V(POPPLER, poppler_page_free_text_attributes, (GList *list), (list)) \
    F(POPPLER, GList *, poppler_page_get_image_mapping, (PopplerPage *page), (page)) \
    V(POPPLER, poppler_page_free_image_mapping, (GList *list), (list)) \
    V(POPPLER, poppler_page_render, (PopplerPage *page, cairo_t *cairo), (page, cairo)) \
    F(CAIRO, cairo_surface_t *, cairo_image_surface_create, (cairo_format_t format, int width, int height), (format, width, height)) \
    F(CAIRO, cairo_surface_t *, cairo_image_surface_create_from_png, (const char *filename), (filename)) \
    F(CAIRO, unsigned char *, cairo_image_surface_get_data, (cairo_surface_t *surface), (surface)) \
    F(CAIRO, int, cairo_image_surface_get_width, (cairo_surface_t *surface), (surface)) \
    F(CAIRO, int, cairo_image_surface_get_height, (cairo_surface_t *surface), (surface)) \
    F(CAIRO, int, cairo_image_surface_get_stride, (cairo_surface_t *surface), (surface)) \
    F(CAIRO, cairo_status_t, cairo_surface_status, (cairo_surface_t *surface), (surface)) \
    V(CAIRO, cairo_surface_flush, (cairo_surface_t *surface), (surface)) \
    V(CAIRO, cairo_surface_mark_dirty, (cairo_surface_t *surface), (surface)) \
    V(CAIRO, cairo_surface_destroy, (cairo_surface_t *surface), (surface)) \
    F(CAIRO, cairo_status_t, cairo_surface_write_to_png, (cairo_surface_t *surface, const char *filename), (surface, filename)) \
    F(CAIRO, const char *, cairo_status_to_string, (cairo_status_t status), (status)) \
    F(CAIRO, cairo_t *, cairo_create, (cairo_surface_t *target), (target)) \
    V(CAIRO, cairo_destroy, (cairo_t *cr), (cr)) \
    V(CAIRO, cairo_set_source_rgb, (cairo_t *cr, double red, double green, double blue), (cr, red, green, blue)) \
    V(CAIRO, cairo_set_source_rgba, (cairo_t *cr, double red, double green, double blue, double alpha), (cr, red, green, blue, alpha)) \
    V(CAIRO, cairo_paint, (cairo_t *cr), (cr)) \
    V(CAIRO, cairo_scale, (cairo_t *cr, double sx, double sy), (cr, sx, sy)) \
    V(CAIRO, cairo_translate, (cairo_t *cr, double tx, double ty), (cr, tx, ty)) \
    V(CAIRO, cairo_save, (cairo_t *cr), (cr)) \
    V(CAIRO, cairo_restore, (cairo_t *cr), (cr)) \
    V(CAIRO, cairo_set_line_width, (cairo_t *cr, double width), (cr, width)) \
    V(CAIRO, cairo_rectangle, (cairo_t *cr, double x, double y, double width, double height), (cr, x, y, width, height)) \
    V(CAIRO, cairo_stroke, (cairo_t *cr), (cr))

#endif

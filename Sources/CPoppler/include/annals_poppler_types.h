/* The types of GLib, poppler-glib and cairo that annals uses, declared here
   rather than taken from their headers: those headers need pkg-config's
   include paths, and with them come pkg-config's libraries, linked into
   every annals process (see CPoppler.h for why that is avoided). Each
   declaration is the library's public, stable ABI; PopplerABITests compiles
   them beside the installed headers and compares sizes, offsets and values. */
#ifndef ANNALS_POPPLER_TYPES_H
#define ANNALS_POPPLER_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef char gchar;
typedef unsigned char guchar;
typedef int gint;
typedef unsigned int guint;
typedef int gboolean;
typedef uint16_t guint16;
typedef double gdouble;
typedef ptrdiff_t gssize;
typedef uint32_t GQuark;

typedef struct _GError { GQuark domain; gint code; gchar *message; } GError;
typedef struct _GList { void *data; struct _GList *next; struct _GList *prev; } GList;
typedef struct _GChecksum GChecksum;
typedef enum { G_CHECKSUM_MD5, G_CHECKSUM_SHA1, G_CHECKSUM_SHA256 } GChecksumType;

typedef struct _PopplerDocument PopplerDocument;
typedef struct _PopplerPage PopplerPage;
typedef struct _PopplerRectangle { gdouble x1; gdouble y1; gdouble x2; gdouble y2; } PopplerRectangle;
typedef struct _PopplerColor { guint16 red; guint16 green; guint16 blue; } PopplerColor;
typedef struct _PopplerTextAttributes {
    gchar *font_name;
    gdouble font_size;
    gboolean is_underlined;
    PopplerColor color;
    gint start_index;
    gint end_index;
} PopplerTextAttributes;
typedef struct _PopplerImageMapping { PopplerRectangle area; gint image_id; } PopplerImageMapping;
typedef enum { POPPLER_ERROR_INVALID, POPPLER_ERROR_ENCRYPTED } PopplerError;

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef enum { CAIRO_STATUS_SUCCESS = 0, CAIRO_STATUS_NO_MEMORY = 1 } cairo_status_t;
typedef enum { CAIRO_FORMAT_INVALID = -1, CAIRO_FORMAT_ARGB32 = 0, CAIRO_FORMAT_RGB24 = 1, CAIRO_FORMAT_A8 = 2 } cairo_format_t;

#endif

#ifndef ANNALS_CTESSERACT_SHIM_H
#define ANNALS_CTESSERACT_SHIM_H
#include <tesseract/capi.h>
#endif

#ifndef ANNALS_CTESSERACT_SHIM_H
#define ANNALS_CTESSERACT_SHIM_H
#include <tesseract/capi.h>

// libtesseract is opened when OCR is first needed (Tesseract.swift), not
// linked: it and the forty libraries it loads cost every process several
// milliseconds of symbol binding, and most documents need no OCR. These are
// the types of the functions annals calls, to cast what dlsym finds.
typedef __typeof__(&TessBaseAPICreate) annals_TessBaseAPICreate;
typedef __typeof__(&TessBaseAPIDelete) annals_TessBaseAPIDelete;
typedef __typeof__(&TessBaseAPISetVariable) annals_TessBaseAPISetVariable;
typedef __typeof__(&TessBaseAPIInit3) annals_TessBaseAPIInit3;
typedef __typeof__(&TessBaseAPISetImage) annals_TessBaseAPISetImage;
typedef __typeof__(&TessBaseAPISetSourceResolution) annals_TessBaseAPISetSourceResolution;
typedef __typeof__(&TessBaseAPIRecognize) annals_TessBaseAPIRecognize;
typedef __typeof__(&TessBaseAPIGetIterator) annals_TessBaseAPIGetIterator;
typedef __typeof__(&TessBaseAPIClear) annals_TessBaseAPIClear;
typedef __typeof__(&TessBaseAPIEnd) annals_TessBaseAPIEnd;
typedef __typeof__(&TessPageIteratorIsAtBeginningOf) annals_TessPageIteratorIsAtBeginningOf;
typedef __typeof__(&TessPageIteratorBoundingBox) annals_TessPageIteratorBoundingBox;
typedef __typeof__(&TessResultIteratorDelete) annals_TessResultIteratorDelete;
typedef __typeof__(&TessResultIteratorGetPageIterator) annals_TessResultIteratorGetPageIterator;
typedef __typeof__(&TessResultIteratorNext) annals_TessResultIteratorNext;
typedef __typeof__(&TessResultIteratorGetUTF8Text) annals_TessResultIteratorGetUTF8Text;
typedef __typeof__(&TessResultIteratorConfidence) annals_TessResultIteratorConfidence;
typedef __typeof__(&TessDeleteText) annals_TessDeleteText;
typedef __typeof__(&TessBaseAPISetPageSegMode) annals_TessBaseAPISetPageSegMode;
typedef __typeof__(&TessPageIteratorBaseline) annals_TessPageIteratorBaseline;
#endif

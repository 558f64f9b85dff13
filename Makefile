# Conveniences over scripts/ (which work without make).
.PHONY: run test samples leakcheck bench bench-ocr clean

run:        ## the main job on samples/ (set-up, release build, batch into out/, review site out/review/)
	bash scripts/run

test:       ## every test (set-up and build included)
	bash scripts/test

samples:    ## regenerate samples/*.pdf from samples/src (needs reportlab, Pillow, fonts)
	bash scripts/make-samples

leakcheck:  ## valgrind over `annals inspect` on a sample
	bash scripts/leakcheck

bench:      ## batch speed and memory against pdftotext (figures, not a test)
	bash scripts/bench-batch

bench-ocr:  ## OCR speed against the tesseract CLI
	bash scripts/bench-ocr

clean:
	rm -rf .build out

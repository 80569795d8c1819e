/* SARIF helpers (sarif.c) for report_sarif.c and scan_report.c. */
#ifndef CORDON_FINDINGS_SARIF_H
#define CORDON_FINDINGS_SARIF_H

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* The file as a URI: relative to base when under it (*rel set), else an
 * absolute file: URI, else as it is. NULL when out of memory. */
char *sarif_file_uri(const char *file, const char *base, int *rel);
/* base as a file: URI ending in '/' (originalUriBaseIds), or NULL. */
char *sarif_dir_uri(const char *base);

#endif

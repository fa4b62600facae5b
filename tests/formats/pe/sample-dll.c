/* sample-dll.c — the smallest DLL to carry a version resource. */
__declspec(dllexport) int mend_sample (void) { return 1; }

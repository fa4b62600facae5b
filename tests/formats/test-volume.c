/* test-volume.c — volume boot sectors and hiberfil.sys headers, built byte by byte from the
 * documented layouts (docs/volume-states.md). */
#include <check.h>
#include <string.h>
#include "formats/mend-volume.h"
#include "mend-fixture-run.h"

static void
boot_sector (guint8 *s, const char *oem)
{
  memset (s, 0, 512);
  s[0] = 0xEB; s[1] = 0x52; s[2] = 0x90;          /* jump */
  memcpy (s + 3, oem, 8);
  s[11] = 0x00; s[12] = 0x02;                      /* 512 bytes per sector */
  s[510] = 0x55; s[511] = 0xAA;
}

START_TEST (test_ntfs_and_bitlocker)
{
  guint8 s[512];

  boot_sector (s, "NTFS    ");
  ck_assert_int_eq (mend_volume_identify (s, sizeof s), MEND_VOLUME_NTFS);
  boot_sector (s, "-FVE-FS-");
  ck_assert_int_eq (mend_volume_identify (s, sizeof s), MEND_VOLUME_BITLOCKER);
  /* NTFS without the boot signature, FAT, short input: not recognised. */
  boot_sector (s, "NTFS    ");
  s[510] = 0;
  ck_assert_int_eq (mend_volume_identify (s, sizeof s), MEND_VOLUME_UNKNOWN);
  boot_sector (s, "MSDOS5.0");
  ck_assert_int_eq (mend_volume_identify (s, sizeof s), MEND_VOLUME_UNKNOWN);
  boot_sector (s, "-FVE-FS-");
  ck_assert_int_eq (mend_volume_identify (s, 511), MEND_VOLUME_UNKNOWN);
  ck_assert_int_eq (mend_volume_identify (NULL, 0), MEND_VOLUME_UNKNOWN);
}
END_TEST

START_TEST (test_hiberfil_states)
{
  guint8 h[16] = { 0 };
  char *text;

  ck_assert_int_eq (mend_hiberfil_identify (h, sizeof h), MEND_HIBERFIL_EMPTY);
  memcpy (h, "HIBR", 4);                           /* Windows 8 and later */
  ck_assert_int_eq (mend_hiberfil_identify (h, sizeof h), MEND_HIBERFIL_IMAGE);
  memcpy (h, "hibr", 4);                           /* Windows 7 and earlier */
  ck_assert_int_eq (mend_hiberfil_identify (h, sizeof h), MEND_HIBERFIL_IMAGE);
  memcpy (h, "wake", 4);
  ck_assert_int_eq (mend_hiberfil_identify (h, sizeof h), MEND_HIBERFIL_RESUMED);
  memcpy (h, "RSTR", 4);
  ck_assert_int_eq (mend_hiberfil_identify (h, sizeof h), MEND_HIBERFIL_UNKNOWN);
  ck_assert_int_eq (mend_hiberfil_identify (h, 7), MEND_HIBERFIL_UNKNOWN);
  text = mend_hiberfil_signature_text (h, sizeof h);
  ck_assert_str_eq (text, "RSTR");
  g_free (text);
  h[0] = 0xff;
  text = mend_hiberfil_signature_text (h, sizeof h);
  ck_assert_str_eq (text, "ff535452");
  g_free (text);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("volume");
  TCase *tc = tcase_create ("signatures");

  tcase_add_test (tc, test_ntfs_and_bitlocker);
  tcase_add_test (tc, test_hiberfil_states);
  suite_add_tcase (s, tc);
  return mend_fixture_run_suite (s);
}

<?php

declare(strict_types=1);

namespace Drupal\georeport\Tests;

/**
 * Reads a gettext .po file as Drupal's locale import does for singular strings: msgid => msgstr.
 */
final class Po {

  /**
   * @return array<string, string>
   *   The translated strings (the header left out).
   */
  public static function read(string $file): array {
    $entries = [];
    $current = [];
    $field = NULL;
    $flush = function () use (&$entries, &$current): void {
      if (($current['msgid'] ?? '') !== '' && ($current['msgstr'] ?? '') !== '') {
        $entries[$current['msgid']] = $current['msgstr'];
      }
      $current = [];
    };
    foreach (file($file, FILE_IGNORE_NEW_LINES) as $line) {
      if (preg_match('/^(msgid|msgstr) "(.*)"$/', $line, $m)) {
        if ($m[1] === 'msgid') {
          $flush();
        }
        $field = $m[1];
        $current[$field] = stripcslashes($m[2]);
      }
      elseif ($field !== NULL && preg_match('/^"(.*)"$/', $line, $m)) {
        $current[$field] .= stripcslashes($m[1]);
      }
    }
    $flush();
    return $entries;
  }

}

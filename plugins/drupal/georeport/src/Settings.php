<?php

declare(strict_types=1);

namespace Drupal\georeport;

/**
 * The module's settings (georeport.settings) and what a valid value of each is.
 *
 * Every check is strict: a value that is not valid is refused by the form, never stored half-valid.
 */
final class Settings {

  /**
   * Every setting, in the order of the form.
   */
  public const KEYS = [
    'server_url', 'jurisdiction', 'api_key', 'language', 'geocoder_url',
    'center', 'zoom', 'tile_url', 'attribution',
    'accent', 'accent_text', 'text', 'background',
  ];

  /**
   * The colour settings, and the element's attribute each is printed as (not a style attribute: a page
   * policy without 'unsafe-inline' keeps them).
   */
  public const COLORS = [
    'accent' => 'accent',
    'accent_text' => 'accent-text',
    'text' => 'text-color',
    'background' => 'background-color',
  ];

  /**
   * Whether a setting's value (trimmed; '' is always valid: the default applies) is valid.
   */
  public static function isValid(string $key, string $value): bool {
    if ($value === '') {
      return TRUE;
    }
    return match ($key) {
      'server_url', 'geocoder_url' => self::isBaseUrl($value),
      'jurisdiction' => (bool) preg_match('/^[a-z0-9][a-z0-9.-]{0,99}$/', $value),
      'api_key' => (bool) preg_match('/^[A-Za-z0-9_-]{1,200}$/', $value),
      'language' => in_array($value, ['auto', 'fr', 'en'], TRUE),
      'zoom' => (bool) preg_match('/^([1-9]|1[0-9])$/', $value),
      'center' => self::isCenter($value),
      'tile_url' => self::isTileUrl($value),
      'attribution' => mb_strlen($value) <= 200 && !preg_match('/[<>]/', $value),
      'accent', 'accent_text', 'text', 'background' => (bool) preg_match('/^#([0-9a-fA-F]{3}){1,2}$/', $value),
      default => FALSE,
    };
  }

  /**
   * A valid value as stored: base URLs end with a slash, the centre has no spaces.
   */
  public static function normalize(string $key, string $value): string {
    return match (TRUE) {
      $value === '' => '',
      in_array($key, ['server_url', 'geocoder_url'], TRUE) => rtrim($value, '/') . '/',
      $key === 'center' => str_replace(' ', '', $value),
      default => $value,
    };
  }

  /**
   * An http(s) URL with a host, and nothing that could end an HTML attribute.
   */
  private static function isBaseUrl(string $value): bool {
    $parts = parse_url($value);
    return is_array($parts) && in_array($parts['scheme'] ?? '', ['http', 'https'], TRUE) && !empty($parts['host'])
      && !preg_match('/[\s"\'<>\\\\]/', $value);
  }

  /**
   * A tile URL template: an http(s) URL once its {z}, {x}, {y} (and {s}) are filled in.
   */
  private static function isTileUrl(string $value): bool {
    foreach (['{z}', '{x}', '{y}'] as $placeholder) {
      if (!str_contains($value, $placeholder)) {
        return FALSE;
      }
    }
    return self::isBaseUrl(preg_replace('/\{[a-z]+\}/', '0', str_replace('{s}', 'a', $value)));
  }

  /**
   * Latitude,longitude in decimal degrees.
   */
  private static function isCenter(string $value): bool {
    if (!preg_match('/^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/', $value, $m)) {
      return FALSE;
    }
    return abs((float) $m[1]) <= 90 && abs((float) $m[2]) <= 180;
  }

}

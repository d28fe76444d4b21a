<?php

declare(strict_types=1);

namespace Drupal\Core\StringTranslation;

/**
 * A translatable string: translated (from $translations) and its placeholders filled when printed.
 */
class TranslatableMarkup implements \Stringable {

  /**
   * Source string => translation, for the language being tested (empty: English).
   *
   * @var array<string, string>
   */
  public static array $translations = [];

  public function __construct(protected string $string, protected array $arguments = [], protected array $options = []) {}

  public function getUntranslatedString(): string {
    return $this->string;
  }

  public function getArguments(): array {
    return $this->arguments;
  }

  public function __toString(): string {
    $text = self::$translations[$this->string] ?? $this->string;
    $replace = [];
    foreach ($this->arguments as $name => $value) {
      // '@' and '%' escape their value, ':' is a URL; the stand-in escapes all three alike.
      $replace[$name] = htmlspecialchars((string) $value, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }
    return strtr($text, $replace);
  }

}

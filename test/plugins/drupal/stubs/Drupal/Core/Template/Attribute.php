<?php

declare(strict_types=1);

namespace Drupal\Core\Template;

/**
 * HTML attributes, printed ` name="value"` with each value escaped (as Drupal's Html::escape does).
 * Drupal's Twig prints it as markup, not escaped again: the tests mark it safe the same way.
 */
class Attribute implements \Stringable {

  public function __construct(private array $attributes = []) {}

  public function toArray(): array {
    return $this->attributes;
  }

  public function __toString(): string {
    $html = '';
    foreach ($this->attributes as $name => $value) {
      $html .= ' ' . htmlspecialchars((string) $name, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8')
        . '="' . htmlspecialchars((string) $value, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8') . '"';
    }
    return $html;
  }

}

<?php

declare(strict_types=1);

namespace Drupal\Core\StringTranslation;

trait StringTranslationTrait {

  protected function t($string, array $args = [], array $options = []) {
    return new TranslatableMarkup($string, $args, $options);
  }

}

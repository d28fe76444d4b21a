<?php

declare(strict_types=1);

namespace Drupal\Core\Block\Attribute;

use Drupal\Core\StringTranslation\TranslatableMarkup;

/**
 * The attribute that makes a class a block plugin (Drupal 10.2+).
 */
#[\Attribute(\Attribute::TARGET_CLASS)]
class Block {

  public function __construct(
    public readonly string $id,
    public readonly ?TranslatableMarkup $admin_label = NULL,
    public readonly ?TranslatableMarkup $category = NULL,
    public readonly array $context_definitions = [],
    public readonly ?string $deriver = NULL,
    public readonly array $forms = [],
  ) {}

}

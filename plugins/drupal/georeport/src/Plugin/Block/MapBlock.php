<?php

declare(strict_types=1);

namespace Drupal\georeport\Plugin\Block;

use Drupal\Core\Block\Attribute\Block;
use Drupal\Core\StringTranslation\TranslatableMarkup;

/**
 * The public map of requests alone, with its accessible list.
 */
#[Block(
  id: 'georeport_map',
  admin_label: new TranslatableMarkup('georeport: map of requests'),
  category: new TranslatableMarkup('georeport'),
)]
final class MapBlock extends GeoReportBlockBase {

  /**
   * {@inheritdoc}
   */
  protected function view(): string {
    return 'map';
  }

}

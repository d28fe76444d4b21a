<?php

declare(strict_types=1);

namespace Drupal\georeport\Plugin\Block;

use Drupal\Core\Block\Attribute\Block;
use Drupal\Core\Form\FormStateInterface;
use Drupal\Core\StringTranslation\TranslatableMarkup;
use Drupal\georeport\GeoReportElement;

/**
 * One request's status and latest note.
 */
#[Block(
  id: 'georeport_status',
  admin_label: new TranslatableMarkup("georeport: a request's status"),
  category: new TranslatableMarkup('georeport'),
)]
final class StatusBlock extends GeoReportBlockBase {

  /**
   * {@inheritdoc}
   */
  protected function view(): string {
    return 'status';
  }

  /**
   * {@inheritdoc}
   */
  public function defaultConfiguration(): array {
    return ['request' => ''];
  }

  /**
   * {@inheritdoc}
   */
  public function blockForm($form, FormStateInterface $form_state): array {
    $form['request'] = [
      '#type' => 'textfield',
      '#title' => $this->t('Request number'),
      '#required' => TRUE,
      '#default_value' => $this->configuration['request'] ?? '',
      '#maxlength' => 15,
    ];
    return $form;
  }

  /**
   * {@inheritdoc}
   */
  public function blockValidate($form, FormStateInterface $form_state): void {
    if (!preg_match(GeoReportElement::REQUEST, trim((string) $form_state->getValue('request')))) {
      $form_state->setErrorByName('request', $this->t('The request number is a whole number, such as 123.'));
    }
  }

  /**
   * {@inheritdoc}
   */
  public function blockSubmit($form, FormStateInterface $form_state): void {
    $this->configuration['request'] = trim((string) $form_state->getValue('request'));
  }

}

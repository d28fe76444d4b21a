<?php

declare(strict_types=1);

namespace Drupal\georeport\Form;

use Drupal\Core\Form\ConfigFormBase;
use Drupal\Core\Form\FormStateInterface;
use Drupal\georeport\Settings;

/**
 * Configuration → Web services → georeport: the server, the map and the colours.
 */
final class SettingsForm extends ConfigFormBase {

  /**
   * {@inheritdoc}
   */
  public function getFormId(): string {
    return 'georeport_settings';
  }

  /**
   * {@inheritdoc}
   */
  protected function getEditableConfigNames(): array {
    return ['georeport.settings'];
  }

  /**
   * The fields: group, type, title and description.
   *
   * @return array<string, array{0: string, 1: string, 2: \Drupal\Core\StringTranslation\TranslatableMarkup, 3: \Drupal\Core\StringTranslation\TranslatableMarkup|string}>
   *   Setting => its field.
   */
  private function fields(): array {
    return [
      'server_url' => ['server', 'url', $this->t('georeport server'), $this->t('Its address, such as https://311.ville.example/')],
      'jurisdiction' => ['server', 'textfield', $this->t('Jurisdiction'), $this->t('The jurisdiction_id of your town on the server (empty when it has only one).')],
      'api_key' => ['server', 'textfield', $this->t('Public API key'), $this->t('The key the server gave for this site (georeport keys create).')],
      'language' => ['server', 'select', $this->t('Language'), $this->t("Automatic follows the page's language.")],
      'geocoder_url' => ['server', 'url', $this->t('Address search'), $this->t('A Base Adresse Nationale-compatible service, such as https://api-adresse.data.gouv.fr/ (empty: none).')],
      'center' => ['map', 'textfield', $this->t('Map centre'), $this->t('Latitude,longitude, such as 47.3941,0.6848.')],
      'zoom' => ['map', 'number', $this->t('Map zoom'), $this->t('From 1 (the world) to 19 (a street).')],
      'tile_url' => ['map', 'textfield', $this->t('Map tiles'), $this->t('A template such as https://tile.example/{z}/{x}/{y}.png (empty: OpenStreetMap).')],
      'attribution' => ['map', 'textfield', $this->t('Tiles credit'), $this->t("Shown under the map (empty: OpenStreetMap's with its tiles).")],
      'accent' => ['colours', 'textfield', $this->t('Accent colour'), $this->t('Buttons and links, #rrggbb.')],
      'accent_text' => ['colours', 'textfield', $this->t('Text on the accent colour'), ''],
      'text' => ['colours', 'textfield', $this->t('Text colour'), ''],
      'background' => ['colours', 'textfield', $this->t('Background colour'), ''],
    ];
  }

  /**
   * {@inheritdoc}
   */
  public function buildForm(array $form, FormStateInterface $form_state): array {
    $config = $this->config('georeport.settings');
    foreach (['server' => $this->t('The server'), 'map' => $this->t('The map'), 'colours' => $this->t('Colours')] as $group => $title) {
      $form[$group] = ['#type' => 'details', '#title' => $title, '#open' => TRUE];
    }
    foreach ($this->fields() as $key => [$group, $type, $title, $description]) {
      $form[$group][$key] = [
        '#type' => $type,
        '#title' => $title,
        '#description' => $description,
        '#default_value' => (string) $config->get($key),
      ];
    }
    $form['server']['language']['#options'] = ['auto' => $this->t('Automatic'), 'fr' => 'Français', 'en' => 'English'];
    $form['map']['zoom'] += ['#min' => 1, '#max' => 19, '#step' => 1];
    return parent::buildForm($form, $form_state);
  }

  /**
   * {@inheritdoc}
   */
  public function validateForm(array &$form, FormStateInterface $form_state): void {
    $messages = [
      'server_url' => $this->t('The georeport server must be an http:// or https:// address.'),
      'geocoder_url' => $this->t('The address search service must be an http:// or https:// address.'),
      'jurisdiction' => $this->t('The jurisdiction is a lower-case id such as ville.example.'),
      'api_key' => $this->t('The API key has letters, digits, - and _ only.'),
      'language' => $this->t('The language is automatic, French or English.'),
      'zoom' => $this->t('The zoom is a whole number from 1 to 19.'),
      'center' => $this->t('The map centre is a latitude and a longitude, such as 47.3941,0.6848.'),
      'tile_url' => $this->t('The tile address is an http(s) template with {z}, {x} and {y}.'),
      'attribution' => $this->t('The tiles credit is text of at most 200 characters, without < or >.'),
    ];
    foreach (Settings::KEYS as $key) {
      if (!Settings::isValid($key, trim((string) $form_state->getValue($key)))) {
        $form_state->setErrorByName($key, $messages[$key] ?? $this->t('Colours are written #rrggbb (or #rgb).'));
      }
    }
    parent::validateForm($form, $form_state);
  }

  /**
   * {@inheritdoc}
   */
  public function submitForm(array &$form, FormStateInterface $form_state): void {
    $config = $this->config('georeport.settings');
    foreach (Settings::KEYS as $key) {
      $config->set($key, Settings::normalize($key, trim((string) $form_state->getValue($key))));
    }
    $config->save();
    parent::submitForm($form, $form_state);
  }

}

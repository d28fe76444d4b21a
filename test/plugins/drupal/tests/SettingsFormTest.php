<?php

declare(strict_types=1);

namespace Drupal\georeport\Tests;

use Drupal\Core\Config\TypedConfigManagerInterface;
use Drupal\Core\Form\FormState;
use Drupal\Core\StringTranslation\TranslatableMarkup;
use Drupal\georeport\Form\SettingsForm;
use PHPUnit\Framework\TestCase;

/**
 * Configuration → Web services → georeport: what it shows, what it refuses, what it saves.
 */
final class SettingsFormTest extends TestCase {

  private const GOOD = [
    'server_url' => ' https://311.ville.example ',
    'jurisdiction' => 'ville.example',
    'api_key' => 'demo-public-key',
    'language' => 'en',
    'geocoder_url' => 'https://api-adresse.data.gouv.fr',
    'center' => '47.3941, 0.6848',
    'zoom' => '14',
    'tile_url' => 'https://{s}.tile.example/{z}/{x}/{y}.png',
    'attribution' => '© Ville & OpenStreetMap "contributors"',
    'accent' => '#7a1f5c',
    'accent_text' => '#fff',
    'text' => '#111111',
    'background' => '',
  ];

  private Site $site;

  private SettingsForm $form;

  protected function setUp(): void {
    $this->site = new Site(['server_url' => 'https://old.example/', 'zoom' => '12']);
    $this->form = new SettingsForm($this->site, $this->createStub(TypedConfigManagerInterface::class));
  }

  protected function tearDown(): void {
    TranslatableMarkup::$translations = [];
  }

  /**
   * The form's fields, flattened: setting => its element.
   */
  private static function fields(array $form): array {
    return $form['server'] + $form['map'] + $form['colours'];
  }

  private function submit(array $values): FormState {
    $state = new FormState($values);
    $form = $this->form->buildForm([], $state);
    $this->form->validateForm($form, $state);
    if (!$state->getErrors()) {
      $this->form->submitForm($form, $state);
    }
    return $state;
  }

  public function testTheFormShowsEverySettingAsSavedInThreeGroups(): void {
    $form = $this->form->buildForm([], new FormState());
    foreach (['server' => 'The server', 'map' => 'The map', 'colours' => 'Colours'] as $group => $title) {
      $this->assertSame(['details', $title, TRUE], [$form[$group]['#type'], (string) $form[$group]['#title'], $form[$group]['#open']]);
    }
    $fields = array_filter(self::fields($form), fn ($key) => !str_starts_with((string) $key, '#'), ARRAY_FILTER_USE_KEY);
    $this->assertSame(['server_url', 'jurisdiction', 'api_key', 'language', 'geocoder_url', 'center', 'zoom', 'tile_url', 'attribution', 'accent', 'accent_text', 'text', 'background'], array_keys($fields));
    $this->assertSame(['url', 'https://old.example/'], [$fields['server_url']['#type'], $fields['server_url']['#default_value']]);
    $this->assertSame(['number', '12', 1, 19], [$fields['zoom']['#type'], $fields['zoom']['#default_value'], $fields['zoom']['#min'], $fields['zoom']['#max']]);
    $this->assertSame(['select', 'auto', ['auto', 'fr', 'en']], [$fields['language']['#type'], $fields['language']['#default_value'], array_keys($fields['language']['#options'])]);
    foreach ($fields as $key => $field) {
      $this->assertNotSame('', (string) $field['#title'], "$key has a label");
    }
    $this->assertSame('submit', $form['actions']['submit']['#type']);
  }

  public function testGoodValuesAreSavedNormalised(): void {
    $state = $this->submit(self::GOOD);
    $this->assertSame([], $state->getErrors());
    $saved = $this->site->stored['georeport.settings'];
    $this->assertSame('https://311.ville.example/', $saved['server_url'], 'trimmed, with its slash');
    $this->assertSame('https://api-adresse.data.gouv.fr/', $saved['geocoder_url']);
    $this->assertSame('47.3941,0.6848', $saved['center']);
    $this->assertSame('https://{s}.tile.example/{z}/{x}/{y}.png', $saved['tile_url'], 'placeholders kept');
    $this->assertSame('© Ville & OpenStreetMap "contributors"', $saved['attribution'], 'kept as typed: escaped when printed');
    $this->assertSame('', $saved['background']);
    $this->assertSame(['The configuration options have been saved.'], $this->form->messenger()->messages);
  }

  public function testEachBadValueIsRefusedWithItsMessageAndNothingIsSaved(): void {
    $bad = [
      'server_url' => ['javascript:alert(1)', 'The georeport server must be an http:// or https:// address.'],
      'jurisdiction' => ['Ville Example', 'The jurisdiction is a lower-case id such as ville.example.'],
      'api_key' => ['clé publique', 'The API key has letters, digits, - and _ only.'],
      'language' => ['de', 'The language is automatic, French or English.'],
      'geocoder_url' => ['https://x.example/"onmouseover="a', 'The address search service must be an http:// or https:// address.'],
      'center' => ['123,456', 'The map centre is a latitude and a longitude, such as 47.3941,0.6848.'],
      'zoom' => ['40', 'The zoom is a whole number from 1 to 19.'],
      'tile_url' => ['https://tiles.example/plan.png', 'The tile address is an http(s) template with {z}, {x} and {y}.'],
      'attribution' => ['<script>alert(1)</script>', 'The tiles credit is text of at most 200 characters, without < or >.'],
      'accent' => ['rouge', 'Colours are written #rrggbb (or #rgb).'],
      'text' => ['#12345', 'Colours are written #rrggbb (or #rgb).'],
    ];
    // In the form's order, as Drupal lists them above the form.
    $before = $this->site->stored;
    $state = $this->submit(array_map(fn ($pair) => $pair[0], $bad) + self::GOOD);
    $this->assertSame(array_map(fn ($pair) => $pair[1], $bad), array_map('strval', $state->getErrors()));
    $this->assertSame($before, $this->site->stored);
    $this->assertSame([], $this->form->messenger()->messages);
  }

  public function testOneBadValueRefusesTheWholeForm(): void {
    $before = $this->site->stored;
    $state = $this->submit(['zoom' => '0'] + self::GOOD);
    $this->assertSame(['zoom'], array_keys($state->getErrors()));
    $this->assertSame($before, $this->site->stored, 'not the good values either');
  }

  public function testEmptyValuesAreAccepted(): void {
    $state = $this->submit(array_fill_keys(array_keys(self::GOOD), ''));
    $this->assertSame([], $state->getErrors());
    $this->assertSame('', $this->site->stored['georeport.settings']['server_url'], 'the server can be unset again');
  }

  public function testTheFormSpeaksFrench(): void {
    TranslatableMarkup::$translations = Po::read(GEOREPORT_MODULE . '/translations/fr.po');
    $form = $this->form->buildForm([], new FormState());
    $this->assertSame('Serveur georeport', (string) $form['server']['server_url']['#title']);
    $state = $this->submit(['zoom' => '40'] + self::GOOD);
    $this->assertSame('Le zoom est un nombre entier de 1 à 19.', (string) $state->getErrors()['zoom']);
  }

}
